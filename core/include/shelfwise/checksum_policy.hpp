// Whether read_bundle verifies the CRC-32s of the manifest and the tensors.
#pragma once

namespace shelfwise {

// True in every build of the library (core/src/checksum_policy.cpp). The bundle-reader fuzz
// target links its own definition that answers false, the usual libFuzzer convention: mutated
// inputs then reach the structural checks behind the checksums instead of stopping at them. It is
// a link-time choice so that the one sanitizer build of the core serves both that target and the
// Catch2 suite, whose checksum tests need the checks.
bool bundle_checksums_verified();

}  // namespace shelfwise
