// A one-line progress bar on stderr, drawn only when stderr is a terminal (logs and CI stay clean).
#pragma once

#include <mutex>
#include <string>

namespace shelfwise::cli {

class ProgressBar {
 public:
  explicit ProgressBar(std::string label);
  ~ProgressBar();
  ProgressBar(const ProgressBar&) = delete;
  ProgressBar& operator=(const ProgressBar&) = delete;

  // `share` in [0, 1]; redraws at most once per percent. Safe to call from several threads.
  void update(double share);
  void finish();

 private:
  std::string label_;
  bool enabled_;
  int last_percent_ = -1;
  bool finished_ = false;
  std::mutex mutex_;
};

}  // namespace shelfwise::cli
