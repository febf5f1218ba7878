// Adagrad with momentum, the optimiser GRU4Rec uses: per weight, accumulator += g^2,
// velocity = momentum * velocity - learning_rate * g / sqrt(accumulator + epsilon), w += velocity.
// Sparse rows (item embeddings and biases) are updated only when a minibatch touches them.
#pragma once

#include <cmath>
#include <cstddef>

namespace shelfwise::training {

struct AdagradMomentum {
  float learning_rate = 0.05f;
  float momentum = 0.0f;
  float epsilon = 1e-6f;

  void apply(float* weights, const float* gradient, float* accumulator, float* velocity, std::size_t count) const {
    for (std::size_t index = 0; index < count; ++index) {
      accumulator[index] += gradient[index] * gradient[index];
      velocity[index] = momentum * velocity[index] - learning_rate * gradient[index] / std::sqrt(accumulator[index] + epsilon);
      weights[index] += velocity[index];
    }
  }
};

}  // namespace shelfwise::training
