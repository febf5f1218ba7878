#include "publishing/publication_folder.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

#include "publishing/canary_vectors.hpp"
#include "publishing/sha256.hpp"
#include "publishing/signed_manifest.hpp"
#include "shelfwise/json_nlohmann.hpp"
#include "shelfwise/model.hpp"

namespace shelfwise::publishing {
namespace {

namespace fs = std::filesystem;

Status io_error(const std::string& what, const std::string& path) {
  return Status(ErrorCode::io_error, what + " '" + path + "': " + std::strerror(errno));
}

Result<std::string> read_file(const std::string& path) {
  std::ifstream stream(path, std::ios::binary);
  if (!stream) return io_error("cannot open", path);
  std::ostringstream contents;
  contents << stream.rdbuf();
  if (stream.bad()) return io_error("cannot read", path);
  return contents.str();
}

// Temporary file beside `path`, then rename: readers (and the web server) never see half a file.
Status write_atomically(const std::string& path, const std::string& contents) {
  const std::string temporary = path + ".partial";
  {
    std::ofstream stream(temporary, std::ios::binary | std::ios::trunc);
    stream.write(contents.data(), static_cast<std::streamsize>(contents.size()));
    stream.flush();
    if (!stream) {
      std::remove(temporary.c_str());
      return io_error("cannot write", temporary);
    }
  }
  if (std::rename(temporary.c_str(), path.c_str()) != 0) {
    std::remove(temporary.c_str());
    return io_error("cannot replace", path);
  }
  return Status::ok_status();
}

// Content-addressed store: link(2) refuses an existing name, so even two publishers racing on the
// same folder can never overwrite a bundle.
Result<bool> store_bundle(const std::string& path, const std::string& bytes, const std::string& sha256) {
  if (fs::exists(path)) {
    auto existing = read_file(path);
    if (!existing.ok()) return existing.status();
    if (sha256_hex(existing.value().data(), existing.value().size()) != sha256) {
      return Status(ErrorCode::hash_mismatch, "'" + path + "' exists with other content; bundles are immutable, refusing to touch it");
    }
    return true;
  }
  const std::string temporary = path + ".partial." + std::to_string(::getpid());
  SHELFWISE_RETURN_IF_ERROR(write_atomically(temporary, bytes));
  const int linked = ::link(temporary.c_str(), path.c_str());
  const int link_errno = errno;
  std::remove(temporary.c_str());
  if (linked != 0 && link_errno != EEXIST) {
    errno = link_errno;
    return io_error("cannot store", path);
  }
  return linked != 0;
}

Status make_folder(const std::string& path) {
  std::error_code error;
  fs::create_directories(path, error);
  if (error) return Status(ErrorCode::io_error, "cannot create folder '" + path + "': " + error.message());
  return Status::ok_status();
}

Status check_version_text(const std::string& version) {
  static const std::regex pattern("(0|[1-9][0-9]{0,5})\\.(0|[1-9][0-9]{0,5})\\.(0|[1-9][0-9]{0,5})");
  if (!std::regex_match(version, pattern)) {
    return Status(ErrorCode::invalid_argument, "min SDK version '" + version + "' is not MAJOR.MINOR.PATCH");
  }
  return Status::ok_status();
}

std::string history_path(const std::string& folder, const std::string& channel) { return folder + "/" + channel + "/history.json"; }

Result<nlohmann::json> read_history(const std::string& folder, const std::string& channel) {
  const std::string path = history_path(folder, channel);
  if (!fs::exists(path)) return nlohmann::json{{"channel", channel}, {"publications", nlohmann::json::array()}};
  auto text = read_file(path);
  if (!text.ok()) return text.status();
  return parse_channel_history(text.value(), path);
}

// The history's publications; an empty array for a value parse_channel_history would refuse.
const nlohmann::json& publications_of(const nlohmann::json& history) {
  static const nlohmann::json none = nlohmann::json::array();
  if (!history.is_object()) return none;
  const auto found = history.find("publications");
  return found != history.end() && found->is_array() ? *found : none;
}

bool is_sha256_hex(const std::string& text) {
  return text.size() == 64 && std::all_of(text.begin(), text.end(), [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

// Everything after the bundle is in place: build, sign, self-verify and write the manifest.
Result<Publication> point_channel(const std::string& folder, const std::string& channel, const std::string& bundle_bytes,
                                  const std::string& min_sdk_version, const std::string& created_at, const EcdsaKey& key,
                                  const std::string& rollback_of) {
  SHELFWISE_RETURN_IF_ERROR(check_channel_name(channel));
  SHELFWISE_RETURN_IF_ERROR(check_version_text(min_sdk_version));
  auto model = Model::load(ByteBuffer::copy_of(bundle_bytes.data(), bundle_bytes.size()));
  if (!model.ok()) return model.status();
  auto canaries = compute_canaries(*model.value());
  if (!canaries.ok()) return canaries.status();
  SHELFWISE_RETURN_IF_ERROR(check_canaries(*model.value(), canaries.value()));

  Publication publication;
  publication.channel = channel;
  publication.kind = model.value()->kind_name();
  publication.version = model.value()->version();
  publication.sha256 = sha256_hex(bundle_bytes.data(), bundle_bytes.size());
  publication.size = bundle_bytes.size();
  publication.bundle_path = folder + "/bundles/" + publication.sha256 + ".swm";
  publication.manifest_path = folder + "/" + channel + "/manifest.json";

  SHELFWISE_RETURN_IF_ERROR(make_folder(folder + "/bundles"));
  SHELFWISE_RETURN_IF_ERROR(make_folder(folder + "/" + channel));
  auto stored = store_bundle(publication.bundle_path, bundle_bytes, publication.sha256);
  if (!stored.ok()) return stored.status();
  publication.bundle_was_present = stored.value();

  auto history = read_history(folder, channel);
  if (!history.ok()) return history.status();
  auto sequence = next_sequence(history.value());
  if (!sequence.ok()) return sequence.status();
  publication.sequence = sequence.value();

  const nlohmann::json bundle_manifest = manifest_json(model.value()->bundle());
  std::string model_created_at;
  if (bundle_manifest["model"].contains("created_at") && bundle_manifest["model"]["created_at"].is_string()) {
    model_created_at = bundle_manifest["model"]["created_at"].get<std::string>();
  }
  const nlohmann::json payload = {
      {"format", kChannelManifestFormat},
      {"format_version", kChannelManifestFormatVersion},
      {"channel", channel},
      {"sequence", publication.sequence},
      {"created_at", created_at},
      {"min_sdk_version", min_sdk_version},
      {"model", {{"kind", publication.kind}, {"version", publication.version}, {"created_at", model_created_at},
                 {"item_count", model.value()->item_count()}}},
      {"bundle", {{"url", "../bundles/" + publication.sha256 + ".swm"}, {"size", publication.size}, {"sha256", publication.sha256}}},
      {"canaries", canaries.value()},
  };
  auto sealed = seal_manifest(payload, key);
  if (!sealed.ok()) return sealed.status();
  // A signature the public half cannot verify must never reach devices.
  auto public_pem = key.public_pem();
  if (!public_pem.ok()) return public_pem.status();
  auto public_key = EcdsaKey::from_public_pem(public_pem.value());
  if (!public_key.ok()) return public_key.status();
  auto reopened = open_manifest(sealed.value(), public_key.value());
  if (!reopened.ok()) return Status(ErrorCode::internal, "self-check of the signed manifest failed: " + reopened.status().to_string());

  // History first: a crash between the two writes leaves a gap in the sequence, never a reused number.
  nlohmann::json entry = {{"sequence", publication.sequence}, {"kind", publication.kind}, {"version", publication.version},
                          {"sha256", publication.sha256}, {"size", publication.size}, {"created_at", created_at},
                          {"min_sdk_version", min_sdk_version}};
  if (!rollback_of.empty()) entry["rollback_to"] = rollback_of;
  history.value()["publications"].push_back(entry);
  SHELFWISE_RETURN_IF_ERROR(write_atomically(history_path(folder, channel), dump_json(history.value(), 2) + "\n"));
  SHELFWISE_RETURN_IF_ERROR(write_atomically(publication.manifest_path, sealed.value()));
  return publication;
}

bool names_publication(const nlohmann::json& entry, const std::string& wanted) {
  // The hash becomes a file name under bundles/: only 64 hex digits name a stored bundle.
  const bool well_formed = entry.is_object() && entry.contains("version") && entry["version"].is_string() &&
                           entry.contains("sha256") && entry["sha256"].is_string() &&
                           is_sha256_hex(entry["sha256"].get_ref<const std::string&>());
  if (!well_formed) return false;
  if (entry["version"].get_ref<const std::string&>() == wanted) return true;
  return wanted.size() >= 8 && entry["sha256"].get_ref<const std::string&>().rfind(wanted, 0) == 0;
}

}  // namespace

Result<nlohmann::json> parse_channel_history(std::string_view text, const std::string& path) {
  if (text.size() > kMaxHistoryBytes) {
    return Status(ErrorCode::limit_exceeded, "'" + path + "' is " + std::to_string(text.size()) + " bytes; at most " + std::to_string(kMaxHistoryBytes));
  }
  nlohmann::json history = nlohmann::json::parse(text.begin(), text.end(), nullptr, false);
  if (history.is_discarded() || !history.is_object() || !history.contains("publications") || !history["publications"].is_array()) {
    return Status(ErrorCode::parse_error, "'" + path + "' is not a channel history");
  }
  return history;
}

Result<std::uint64_t> next_sequence(const nlohmann::json& history) {
  std::uint64_t last = 0;
  for (const auto& entry : publications_of(history)) {
    if (entry.is_object() && entry.contains("sequence") && entry["sequence"].is_number_unsigned()) {
      last = std::max(last, entry["sequence"].get<std::uint64_t>());
    }
  }
  if (last >= kMaxSequence) {
    return Status(ErrorCode::limit_exceeded, "the channel history has reached sequence " + std::to_string(last) + "; devices accept at most " +
                                                 std::to_string(kMaxSequence));
  }
  return last + 1;
}

const nlohmann::json* find_publication(const nlohmann::json& history, const std::string& version) {
  const nlohmann::json* found = nullptr;
  for (const auto& entry : publications_of(history)) {
    if (names_publication(entry, version)) found = &entry;  // the latest publication of that version wins
  }
  return found;
}

Status check_channel_name(const std::string& channel) {
  static const std::regex pattern("[a-z0-9][a-z0-9._-]{0,63}");
  if (!std::regex_match(channel, pattern) || channel == "bundles") {
    return Status(ErrorCode::invalid_argument, "channel '" + channel + "' must match [a-z0-9][a-z0-9._-]* (at most 64 characters) and not be 'bundles'");
  }
  return Status::ok_status();
}

Result<Publication> publish_bundle(const PublishRequest& request, const EcdsaKey& key) {
  auto bytes = read_file(request.bundle_path);
  if (!bytes.ok()) return bytes.status();
  return point_channel(request.folder, request.channel, bytes.value(), request.min_sdk_version, request.created_at, key, "");
}

Result<Publication> rollback_channel(const std::string& folder, const std::string& channel, const std::string& version,
                                     const std::string& created_at, const EcdsaKey& key) {
  SHELFWISE_RETURN_IF_ERROR(check_channel_name(channel));
  auto history = read_history(folder, channel);
  if (!history.ok()) return history.status();
  const nlohmann::json* found = find_publication(history.value(), version);
  if (found == nullptr) {
    return Status(ErrorCode::invalid_argument, "channel '" + channel + "' never published version '" + version + "' (see " +
                                                   history_path(folder, channel) + ")");
  }
  const std::string sha256 = (*found)["sha256"].get<std::string>();
  const std::string path = folder + "/bundles/" + sha256 + ".swm";
  auto bytes = read_file(path);
  if (!bytes.ok()) return bytes.status();
  if (sha256_hex(bytes.value().data(), bytes.value().size()) != sha256) {
    return Status(ErrorCode::hash_mismatch, "'" + path + "' no longer matches its SHA-256; refusing to roll back to it");
  }
  std::string min_sdk_version = kDefaultMinSdkVersion;
  if (found->contains("min_sdk_version") && (*found)["min_sdk_version"].is_string()) min_sdk_version = (*found)["min_sdk_version"].get<std::string>();
  return point_channel(folder, channel, bytes.value(), min_sdk_version, created_at, key, (*found)["version"].get<std::string>());
}

}  // namespace shelfwise::publishing
