// The publisher's folder: content-addressed immutable bundles, signed channel manifests with
// increasing sequence numbers, and rollback; and the CLI's keygen/publish on top of it.
#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <string>

#include "models/publishing_fixtures.hpp"
#include "publishing/canary_vectors.hpp"
#include "publishing/publication_folder.hpp"
#include "publishing/sha256.hpp"
#include "publishing/signed_manifest.hpp"
#include "test_support.hpp"

namespace {

using namespace shelfwise;
using namespace shelfwise::publishing;
namespace fs = std::filesystem;

struct Setup {
  testing::ScratchFolder scratch;
  EcdsaKey key = EcdsaKey::generate().value();
  EcdsaKey verifier = EcdsaKey::from_public_pem(key.public_pem().value()).value();
  std::string out = scratch.path() + "/out";

  std::string bundle(const std::string& name, int seed, const std::string& kind = "itemknn") {
    const std::string path = scratch.path() + "/" + name;
    testing::write_bytes(path, testing::train_bundle(testing::small_shop_csv(60, seed), kind));
    return path;
  }
  Result<Publication> publish(const std::string& path, const std::string& channel = "stable") {
    PublishRequest request;
    request.bundle_path = path;
    request.folder = out;
    request.channel = channel;
    request.created_at = "2026-01-02T03:04:05Z";
    return publish_bundle(request, key);
  }
  nlohmann::json live(const std::string& channel = "stable") {
    auto payload = open_manifest(testing::read_text(out + "/" + channel + "/manifest.json"), verifier);
    REQUIRE(payload.ok());
    return payload.value();
  }
};

}  // namespace

TEST_CASE("publish stores the bundle by hash and writes a signed manifest a device can check", "[publishing]") {
  Setup setup;
  const std::string path = setup.bundle("a.swm", 0);
  auto published = setup.publish(path);
  REQUIRE(published.ok());
  const std::string bytes = testing::read_text(path);
  const std::string sha256 = sha256_hex(bytes.data(), bytes.size());
  CHECK(published.value().sha256 == sha256);
  CHECK(published.value().sequence == 1);
  CHECK(testing::read_text(setup.out + "/bundles/" + sha256 + ".swm") == bytes);

  const nlohmann::json payload = setup.live();
  CHECK(payload["format"] == kChannelManifestFormat);
  CHECK(payload["channel"] == "stable");
  CHECK(payload["sequence"] == 1);
  CHECK(payload["created_at"] == "2026-01-02T03:04:05Z");
  CHECK(payload["min_sdk_version"] == kDefaultMinSdkVersion);
  CHECK(payload["model"]["kind"] == "itemknn");
  CHECK(payload["model"]["version"] == "itemknn-fixture");
  CHECK(payload["model"]["item_count"] == 30);
  CHECK(payload["bundle"]["url"] == "../bundles/" + sha256 + ".swm");
  CHECK(payload["bundle"]["size"] == bytes.size());
  CHECK(payload["bundle"]["sha256"] == sha256);
  CHECK(check_canaries(*testing::load_model(testing::train_bundle(testing::small_shop_csv(60, 0))), payload["canaries"]).ok());
}

TEST_CASE("bundles are never overwritten; sequences grow; channels are independent", "[publishing]") {
  Setup setup;
  const std::string first = setup.bundle("a.swm", 0);
  const std::string second = setup.bundle("b.swm", 5);
  REQUIRE(setup.publish(first).ok());
  auto again = setup.publish(first);
  REQUIRE(again.ok());
  CHECK(again.value().bundle_was_present);
  CHECK(again.value().sequence == 2);
  auto next = setup.publish(second);
  REQUIRE(next.ok());
  CHECK(next.value().sequence == 3);
  CHECK(setup.live()["bundle"]["sha256"] == next.value().sha256);
  CHECK(fs::exists(setup.out + "/bundles/" + again.value().sha256 + ".swm"));

  auto beta = setup.publish(first, "beta");
  REQUIRE(beta.ok());
  CHECK(beta.value().sequence == 1);
  CHECK(setup.live()["sequence"] == 3);

  // A file under a bundle's name with other bytes is refused, not replaced.
  const std::string third = setup.bundle("c.swm", 9);
  const std::string third_bytes = testing::read_text(third);
  const std::string squatted = setup.out + "/bundles/" + sha256_hex(third_bytes.data(), third_bytes.size()) + ".swm";
  testing::write_bytes(squatted, {1, 2, 3});
  CHECK(setup.publish(third).status().code() == ErrorCode::hash_mismatch);
  CHECK(testing::read_text(squatted) == std::string("\x01\x02\x03"));
  CHECK(setup.live()["bundle"]["sha256"] == next.value().sha256);
}

TEST_CASE("publish refuses bad bundles, channel names and SDK versions without touching the channel", "[publishing]") {
  Setup setup;
  REQUIRE(setup.publish(setup.bundle("a.swm", 0)).ok());
  const std::string before = testing::read_text(setup.out + "/stable/manifest.json");
  std::string corrupt = testing::read_text(setup.scratch.path() + "/a.swm");
  corrupt[corrupt.size() - 5] ^= 0x10;
  testing::write_bytes(setup.scratch.path() + "/corrupt.swm", std::vector<std::uint8_t>(corrupt.begin(), corrupt.end()));
  CHECK(setup.publish(setup.scratch.path() + "/corrupt.swm").status().code() == ErrorCode::checksum_mismatch);
  CHECK(setup.publish(setup.scratch.path() + "/missing.swm").status().code() == ErrorCode::io_error);
  CHECK(setup.publish(setup.scratch.path() + "/a.swm", "Bad/Name").status().code() == ErrorCode::invalid_argument);
  CHECK(setup.publish(setup.scratch.path() + "/a.swm", "bundles").status().code() == ErrorCode::invalid_argument);
  PublishRequest request;
  request.bundle_path = setup.scratch.path() + "/a.swm";
  request.folder = setup.out;
  request.min_sdk_version = "1.0";
  CHECK(publish_bundle(request, setup.key).status().code() == ErrorCode::invalid_argument);
  CHECK(testing::read_text(setup.out + "/stable/manifest.json") == before);
}

TEST_CASE("rollback repoints the channel with a newer sequence, by version or hash prefix", "[publishing]") {
  Setup setup;
  auto first = setup.publish(setup.bundle("a.swm", 0));
  auto second = setup.publish(setup.bundle("b.swm", 5, "pop"));
  REQUIRE(first.ok());
  REQUIRE(second.ok());
  CHECK(setup.live()["model"]["version"] == "pop-fixture");

  auto rolled = rollback_channel(setup.out, "stable", "itemknn-fixture", "2026-01-03T00:00:00Z", setup.key);
  REQUIRE(rolled.ok());
  CHECK(rolled.value().sequence == 3);
  CHECK(setup.live()["bundle"]["sha256"] == first.value().sha256);
  CHECK(setup.live()["sequence"] == 3);

  auto forward = rollback_channel(setup.out, "stable", second.value().sha256.substr(0, 10), "2026-01-04T00:00:00Z", setup.key);
  REQUIRE(forward.ok());
  CHECK(setup.live()["bundle"]["sha256"] == second.value().sha256);
  const nlohmann::json history = nlohmann::json::parse(testing::read_text(setup.out + "/stable/history.json"));
  CHECK(history["publications"].size() == 4);
  CHECK(history["publications"][2]["rollback_to"] == "itemknn-fixture");

  CHECK(rollback_channel(setup.out, "stable", "no-such-version", "t", setup.key).status().code() == ErrorCode::invalid_argument);
  CHECK(rollback_channel(setup.out, "stable", "abc", "t", setup.key).status().code() == ErrorCode::invalid_argument);
  // A bundle changed on disk is not rolled back to.
  testing::write_bytes(setup.out + "/bundles/" + first.value().sha256 + ".swm", {0x89, 'S', 'W', 'M'});
  CHECK(rollback_channel(setup.out, "stable", "itemknn-fixture", "t", setup.key).status().code() == ErrorCode::hash_mismatch);
  CHECK(setup.live()["bundle"]["sha256"] == second.value().sha256);
}

TEST_CASE("a channel history is read defensively: sequences stay readable by devices, hashes name bundles", "[publishing]") {
  // Before these checks a history whose largest sequence was 2^64 - 1 gave the next publication
  // sequence 0, and one at 2^53 - 1 a sequence devices refuse (they read it as a JavaScript number
  // and accept only safe integers). tests/fuzz/manifest_fuzz.cpp checks this on every history.
  auto wrapped = parse_channel_history(R"({"publications": [{"sequence": 18446744073709551615}]})", "h.json");
  REQUIRE(wrapped.ok());
  CHECK(next_sequence(wrapped.value()).status().code() == ErrorCode::limit_exceeded);
  auto unsafe = parse_channel_history(R"({"publications": [{"sequence": 9007199254740991}]})", "h.json");
  CHECK(next_sequence(unsafe.value()).status().code() == ErrorCode::limit_exceeded);
  auto last_safe = parse_channel_history(R"({"publications": [{"sequence": 9007199254740990}, {"sequence": -4}, 7, null]})", "h.json");
  CHECK(next_sequence(last_safe.value()).value() == kMaxSequence);
  CHECK(next_sequence(parse_channel_history(R"({"publications": []})", "h.json").value()).value() == 1);

  CHECK(parse_channel_history("[]", "h.json").status().code() == ErrorCode::parse_error);
  CHECK(parse_channel_history(R"({"publications": {}})", "h.json").status().code() == ErrorCode::parse_error);
  CHECK(parse_channel_history("{\"publications\": [", "h.json").status().code() == ErrorCode::parse_error);

  // The hash of the entry rollback picks becomes a file name: only 64 hex digits count.
  const std::string good(64, 'a');
  auto history = parse_channel_history(R"({"publications": [
      {"version": "v1", "sha256": ")" + good + R"("},
      {"version": "v2", "sha256": "../../../etc/passwd"},
      {"version": "v3", "sha256": ")" + std::string(64, 'A') + R"("},
      {"version": 3, "sha256": ")" + good + R"("}]})", "h.json");
  REQUIRE(history.ok());
  REQUIRE(find_publication(history.value(), "v1") != nullptr);
  CHECK(find_publication(history.value(), "aaaaaaaa") == find_publication(history.value(), "v1"));
  CHECK(find_publication(history.value(), "v2") == nullptr);
  CHECK(find_publication(history.value(), "../../..") == nullptr);
  CHECK(find_publication(history.value(), "v3") == nullptr);
  CHECK(find_publication(nlohmann::json::array(), "v1") == nullptr);
}

TEST_CASE("publish refuses to continue a channel whose sequence devices could no longer read", "[publishing]") {
  Setup setup;
  const std::string path = setup.bundle("a.swm", 0);
  REQUIRE(setup.publish(path).ok());
  const std::string history = R"({"channel": "stable", "publications": [{"sequence": 9007199254740991, "version": "x", "sha256": "00"}]})";
  testing::write_bytes(setup.out + "/stable/history.json", std::vector<std::uint8_t>(history.begin(), history.end()));
  const std::string manifest = testing::read_text(setup.out + "/stable/manifest.json");
  CHECK(setup.publish(path).status().code() == ErrorCode::limit_exceeded);
  CHECK(testing::read_text(setup.out + "/stable/manifest.json") == manifest);
}

TEST_CASE("the CLI's keygen and publish work end to end", "[publishing][cli]") {
  testing::ScratchFolder scratch;
  const std::string cli = SHELFWISE_CLI_PATH;
  const std::string keys = scratch.path() + "/keys";
  const std::string quiet = " >/dev/null 2>&1";
  REQUIRE(std::system((cli + " keygen --out " + keys + quiet).c_str()) == 0);
  CHECK((fs::status(keys + "/signing-key.pem").permissions() & fs::perms::group_read) == fs::perms::none);
  // A second keygen must not replace the key devices trust.
  CHECK(std::system((cli + " keygen --out " + keys + quiet).c_str()) != 0);

  const std::string bundle = scratch.path() + "/model.swm";
  testing::write_bytes(bundle, testing::train_bundle(testing::small_shop_csv()));
  const std::string out = scratch.path() + "/out";
  REQUIRE(std::system((cli + " publish --bundle " + bundle + " --dir " + out + " --key " + keys + "/signing-key.pem" + quiet).c_str()) == 0);
  REQUIRE(std::system((cli + " publish --bundle " + bundle + " --dir " + out + " --key " + keys +
                       "/signing-key.pem --channel beta --min-sdk-version 0.2.0" + quiet).c_str()) == 0);
  const EcdsaKey verifier = EcdsaKey::from_public_pem(testing::read_text(keys + "/public-key.pem")).value();
  auto stable = open_manifest(testing::read_text(out + "/stable/manifest.json"), verifier);
  auto beta = open_manifest(testing::read_text(out + "/beta/manifest.json"), verifier);
  REQUIRE(stable.ok());
  REQUIRE(beta.ok());
  CHECK(beta.value()["min_sdk_version"] == "0.2.0");
  REQUIRE(std::system((cli + " publish --dir " + out + " --key " + keys + "/signing-key.pem --rollback itemknn-fixture" + quiet).c_str()) == 0);
  CHECK(open_manifest(testing::read_text(out + "/stable/manifest.json"), verifier).value()["sequence"] == 2);
  // Usage errors exit 2: neither or both of --bundle and --rollback, a public key as --key.
  CHECK(WEXITSTATUS(std::system((cli + " publish --dir " + out + " --key " + keys + "/signing-key.pem" + quiet).c_str())) == 2);
  CHECK(WEXITSTATUS(std::system((cli + " publish --bundle " + bundle + " --dir " + out + " --key " + keys + "/public-key.pem" + quiet).c_str())) == 2);
}
