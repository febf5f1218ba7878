// Runs the shelfwise CLI (SHELFWISE_CLI_PATH) as a process for end-to-end tests, with a
// temporary folder per test process.
#pragma once

#include <catch2/catch.hpp>

#include <sys/wait.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace shelfwise::testing::cli {

class TempDir {
 public:
  explicit TempDir(const char* prefix) {
    std::string pattern = (std::filesystem::temp_directory_path() / (std::string(prefix) + "-XXXXXX")).string();
    if (::mkdtemp(pattern.data()) != nullptr) path_ = pattern;
  }
  ~TempDir() {
    std::error_code ignored;
    if (!path_.empty()) std::filesystem::remove_all(path_, ignored);
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

struct Run {
  int exit_code;
  std::string out;
  std::string err;
};

inline std::string read_file(const std::string& path) {
  std::ifstream stream(path, std::ios::binary);
  std::ostringstream contents;
  contents << stream.rdbuf();
  return contents.str();
}

// `arguments` is shell text; stderr is captured through a file in `scratch_dir`.
inline Run run_cli(const std::string& arguments, const std::string& scratch_dir) {
  const std::string err_path = scratch_dir + "/stderr.txt";
  const std::string command = std::string("'") + SHELFWISE_CLI_PATH + "' " + arguments + " 2>'" + err_path + "'";
  std::FILE* pipe = ::popen(command.c_str(), "r");
  REQUIRE(pipe != nullptr);
  std::string out;
  char buffer[4096];
  std::size_t read = 0;
  while ((read = std::fread(buffer, 1, sizeof(buffer), pipe)) > 0) out.append(buffer, read);
  const int status = ::pclose(pipe);
  Run result{WIFEXITED(status) ? WEXITSTATUS(status) : -1, out, read_file(err_path)};
  UNSCOPED_INFO("shelfwise " << arguments << "\nexit " << result.exit_code << "\nstderr: " << result.err);
  return result;
}

}  // namespace shelfwise::testing::cli
