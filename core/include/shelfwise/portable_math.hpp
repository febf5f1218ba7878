// exp, sigmoid and tanh in single precision from +, -, *, / and exact power-of-two scaling only.
// IEEE 754 rounds each of those identically everywhere, while libm's expf/tanhf differ between
// glibc (native) and Emscripten's libc (wasm) in the last bit; the GRU's hidden state runs
// through these functions on every event, so native and wasm scores stay bit-identical (the eval
// parity test) only with these. Relative error below 3e-7 over the float range.
#pragma once

namespace shelfwise {

// e^x; 0 below -87.3, +HUGE_VALF-safe: clamps above 88.7 to the largest finite result; NaN for NaN.
float portable_exp(float x);

inline float portable_sigmoid(float x) { return 1.0f / (1.0f + portable_exp(-x)); }

// tanh(x) = 1 - 2 / (e^(2x) + 1); saturates to +-1 for |x| > 9.
inline float portable_tanh(float x) {
  if (x > 9.0f) return 1.0f;
  if (x < -9.0f) return -1.0f;
  return 1.0f - 2.0f / (portable_exp(2.0f * x) + 1.0f);
}

}  // namespace shelfwise
