#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>

#include "cli/command_line.hpp"
#include "cli/commands.hpp"
#include "cli/file_io.hpp"
#include "publishing/ecdsa_key.hpp"

namespace shelfwise::cli {
namespace {

constexpr const char* kHelp = R"(usage: shelfwise keygen --out DIR

Generates an ECDSA P-256 key pair for signing channel manifests:
  DIR/signing-key.pem   private key (PKCS#8 PEM, mode 0600): keep it off web servers and out of git
  DIR/public-key.pem    public key (SPKI PEM): give it to the SDK (Personalizer.create({ publicKey }))
An existing signing-key.pem is never overwritten.
)";

// O_EXCL: a second keygen into the same folder must not silently replace the key devices trust.
Status write_private_key(const std::string& path, const std::string& pem) {
  const int descriptor = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL, 0600);
  if (descriptor < 0) {
    if (errno == EEXIST) return Status(ErrorCode::invalid_argument, "'" + path + "' already exists; move it away first (devices trust its public half)");
    return Status(ErrorCode::io_error, "cannot create '" + path + "': " + std::strerror(errno));
  }
  const bool written = ::write(descriptor, pem.data(), pem.size()) == static_cast<ssize_t>(pem.size());
  const bool closed = ::close(descriptor) == 0;
  if (!written || !closed) {
    std::remove(path.c_str());
    return Status(ErrorCode::io_error, "cannot write '" + path + "'");
  }
  return Status::ok_status();
}

int keygen(const CommandLine& line) {
  auto out = line.required("out");
  if (!out.ok()) return report_failure("keygen", out.status());
  std::error_code error;
  std::filesystem::create_directories(out.value(), error);
  if (error) return report_failure("keygen", Status(ErrorCode::io_error, "cannot create '" + out.value() + "': " + error.message()));
  auto key = publishing::EcdsaKey::generate();
  if (!key.ok()) return report_failure("keygen", key.status());
  auto private_pem = key.value().private_pem();
  auto public_pem = key.value().public_pem();
  auto key_id = key.value().key_id();
  if (!private_pem.ok()) return report_failure("keygen", private_pem.status());
  if (!public_pem.ok()) return report_failure("keygen", public_pem.status());
  if (!key_id.ok()) return report_failure("keygen", key_id.status());
  const std::string private_path = out.value() + "/signing-key.pem";
  const std::string public_path = out.value() + "/public-key.pem";
  const Status wrote_private = write_private_key(private_path, private_pem.value());
  if (!wrote_private.ok()) return report_failure("keygen", wrote_private);
  const Status wrote_public = write_file_atomically(public_path, public_pem.value().data(), public_pem.value().size());
  if (!wrote_public.ok()) return report_failure("keygen", wrote_public);
  std::printf("signing key  %s\npublic key   %s\nkey id       %s\n", private_path.c_str(), public_path.c_str(), key_id.value().c_str());
  return 0;
}

}  // namespace

int run_keygen(const std::vector<std::string>& arguments) {
  auto line = CommandLine::parse(arguments, {"out"}, {"help"});
  if (!line.ok()) return report_failure("keygen", line.status());
  if (line.value().has("help")) {
    std::fputs(kHelp, stdout);
    return 0;
  }
  return keygen(line.value());
}

}  // namespace shelfwise::cli
