#include <chrono>
#include <cstdio>
#include <ctime>

#include "cli/command_line.hpp"
#include "cli/commands.hpp"
#include "cli/file_io.hpp"
#include "publishing/publication_folder.hpp"
#include "shelfwise/json_nlohmann.hpp"

namespace shelfwise::cli {
namespace {

constexpr const char* kHelp = R"(usage: shelfwise publish --bundle model.swm --dir out/ --key signing-key.pem [--channel stable]
       shelfwise publish --dir out/ --key signing-key.pem [--channel stable] --rollback VERSION

Publishes a bundle for devices to sync: validates it as a device would, stores it as
out/bundles/<sha256>.swm (immutable, never overwritten) and points out/<channel>/manifest.json at
it: kind, version, bundle URL, size, SHA-256, minimum SDK version, creation time and canary
vectors, signed with ECDSA P-256. Earlier bundles stay; --rollback points the channel back at an
earlier publication (by model version, or by 8+ leading hex digits of its SHA-256) with a newly
signed manifest. Every publication is listed in out/<channel>/history.json.

options:
  --bundle FILE             the .swm to publish
  --dir DIR                 the folder a static web server or CDN serves
  --key FILE                the signing key (shelfwise keygen)
  --channel NAME            default stable
  --min-sdk-version X.Y.Z   oldest SDK allowed to use the bundle (default 0.1.0)
  --rollback VERSION        instead of --bundle: repoint the channel
  --json                    print the publication as JSON
)";

std::string utc_now() {
  const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm parts{};
  gmtime_r(&now, &parts);
  char text[32];
  std::strftime(text, sizeof(text), "%Y-%m-%dT%H:%M:%SZ", &parts);
  return text;
}

int publish(const CommandLine& line) {
  auto folder = line.required("dir");
  if (!folder.ok()) return report_failure("publish", folder.status());
  auto key_path = line.required("key");
  if (!key_path.ok()) return report_failure("publish", key_path.status());
  const std::string channel = line.value("channel").value_or("stable");
  const bool rollback = line.has("rollback");
  if (rollback == line.has("bundle")) {
    return report_failure("publish", Status(ErrorCode::invalid_argument, "give either --bundle FILE or --rollback VERSION"));
  }
  auto key_pem = read_text_file(key_path.value());
  if (!key_pem.ok()) return report_failure("publish", key_pem.status());
  auto key = publishing::EcdsaKey::from_private_pem(key_pem.value());
  if (!key.ok()) return report_failure("publish", Status(key.status().code(), "--key " + key_path.value() + ": " + key.status().message()));

  Result<publishing::Publication> publication = Status(ErrorCode::internal, "not run");
  if (rollback) {
    auto version = line.required("rollback");
    if (!version.ok()) return report_failure("publish", version.status());
    if (line.has("min-sdk-version")) {
      return report_failure("publish", Status(ErrorCode::invalid_argument, "--rollback keeps the minimum SDK version it was published with"));
    }
    publication = publishing::rollback_channel(folder.value(), channel, version.value(), utc_now(), key.value());
  } else {
    publishing::PublishRequest request;
    request.bundle_path = line.value("bundle").value_or("");
    request.folder = folder.value();
    request.channel = channel;
    request.min_sdk_version = line.value("min-sdk-version").value_or(publishing::kDefaultMinSdkVersion);
    request.created_at = utc_now();
    publication = publishing::publish_bundle(request, key.value());
  }
  if (!publication.ok()) return report_failure("publish", publication.status());
  const publishing::Publication& done = publication.value();
  if (line.has("json")) {
    const nlohmann::json report = {{"channel", done.channel}, {"sequence", done.sequence}, {"kind", done.kind},
                                   {"version", done.version}, {"sha256", done.sha256}, {"size", done.size},
                                   {"bundle", done.bundle_path}, {"manifest", done.manifest_path},
                                   {"bundle_was_present", done.bundle_was_present}, {"rollback", rollback}};
    std::printf("%s\n", dump_json(report, 2).c_str());
    return 0;
  }
  std::printf("%s %s/%s #%llu -> %s (%s, %llu bytes%s)\n", rollback ? "rolled back" : "published", folder.value().c_str(),
              done.channel.c_str(), static_cast<unsigned long long>(done.sequence), done.version.c_str(), done.sha256.c_str(),
              static_cast<unsigned long long>(done.size), done.bundle_was_present ? ", bundle already present" : "");
  return 0;
}

}  // namespace

int run_publish(const std::vector<std::string>& arguments) {
  auto line = CommandLine::parse(arguments, {"bundle", "dir", "key", "channel", "rollback", "min-sdk-version"}, {"json", "help"});
  if (!line.ok()) return report_failure("publish", line.status());
  if (line.value().has("help")) {
    std::fputs(kHelp, stdout);
    return 0;
  }
  return publish(line.value());
}

}  // namespace shelfwise::cli
