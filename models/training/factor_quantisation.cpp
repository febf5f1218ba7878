#include "training/factor_quantisation.hpp"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <limits>
#include <thread>

#include "shelfwise/factor_kernels.hpp"
#include "shelfwise/half_float.hpp"
#include "training/als_trainer.hpp"
#include "training/seeded_random.hpp"

namespace shelfwise::training {
namespace {

constexpr std::size_t kCentroids = kernels::kPqCentroids;

void quantise_int8(const std::vector<float>& rows, std::size_t count, std::size_t k, QuantisedFactors& out) {
  out.i8.resize(count * k);
  out.scales.resize(count);
  for (std::size_t item = 0; item < count; ++item) {
    const float* row = rows.data() + item * k;
    float largest = 0.0f;
    for (std::size_t i = 0; i < k; ++i) largest = std::max(largest, std::fabs(row[i]));
    const float scale = largest / 127.0f;
    out.scales[item] = scale;
    for (std::size_t i = 0; i < k; ++i) {
      const float level = scale > 0.0f ? std::nearbyint(row[i] / scale) : 0.0f;
      out.i8[item * k + i] = static_cast<std::int8_t>(std::clamp(level, -127.0f, 127.0f));
      // The device's dequantisation (ItemFactors::row), operation for operation.
      out.dequantised[item * k + i] = static_cast<float>(out.i8[item * k + i]) * scale;
    }
  }
}

template <typename Body>
void parallel_for(std::size_t count, unsigned threads, const Body& body) {
  std::atomic<std::size_t> next{0};
  auto worker = [&] {
    for (std::size_t first = next.fetch_add(256); first < count; first = next.fetch_add(256)) body(first, std::min(count, first + 256));
  };
  std::vector<std::thread> pool;
  for (unsigned thread = 1; thread < std::max(1U, threads); ++thread) pool.emplace_back(worker);
  worker();
  for (auto& thread : pool) thread.join();
}

// Nearest centroid (squared distance; ties to the lower index) of every point.
void assign(const std::vector<float>& points, std::size_t count, std::size_t width, const std::vector<float>& centroids,
            std::vector<std::uint8_t>& labels, unsigned threads) {
  parallel_for(count, threads, [&](std::size_t first, std::size_t end) {
    for (std::size_t point = first; point < end; ++point) {
      const float* values = points.data() + point * width;
      float best = std::numeric_limits<float>::max();
      std::size_t best_centroid = 0;
      for (std::size_t centroid = 0; centroid < kCentroids; ++centroid) {
        const float* center = centroids.data() + centroid * width;
        float distance = 0.0f;
        for (std::size_t i = 0; i < width; ++i) distance += (values[i] - center[i]) * (values[i] - center[i]);
        if (distance < best) {
          best = distance;
          best_centroid = centroid;
        }
      }
      labels[point] = static_cast<std::uint8_t>(best_centroid);
    }
  });
}

// Lloyd's k-means with 256 centroids on `sample`, seeded by k-means++ (Arthur & Vassilvitskii
// 2007): each new seed is drawn with probability proportional to its squared distance from the
// seeds so far. Trained factors have a few long rows (popular items, which dominate every top-k)
// among many short ones; uniform seeding spends the codebook on the short ones and the long ones
// then score badly. An emptied centroid is re-seeded with the point farthest from its centroid.
std::vector<float> train_codebook(const std::vector<float>& sample, std::size_t count, std::size_t width,
                                  const QuantisationOptions& options, SeededRandom& random) {
  std::vector<float> centroids(kCentroids * width, 0.0f);
  std::vector<double> nearest(count, std::numeric_limits<double>::max());
  std::size_t chosen = static_cast<std::size_t>(random.below(count));
  for (std::size_t centroid = 0; centroid < kCentroids; ++centroid) {
    const float* seed = sample.data() + chosen * width;
    std::copy(seed, seed + width, centroids.begin() + static_cast<std::ptrdiff_t>(centroid * width));
    double total = 0.0;
    for (std::size_t point = 0; point < count; ++point) {
      double distance = 0.0;
      for (std::size_t i = 0; i < width; ++i) {
        const double delta = static_cast<double>(sample[point * width + i]) - seed[i];
        distance += delta * delta;
      }
      nearest[point] = std::min(nearest[point], distance);
      total += nearest[point];
    }
    // Integer draw scaled to [0, total): identical on every platform.
    const double target = static_cast<double>(random.below(1ULL << 53)) / static_cast<double>(1ULL << 53) * total;
    double running = 0.0;
    chosen = static_cast<std::size_t>(random.below(count));  // all points coincide: any will do
    for (std::size_t point = 0; point < count && total > 0.0; ++point) {
      running += nearest[point];
      if (running > target) {
        chosen = point;
        break;
      }
    }
  }
  std::vector<std::uint8_t> labels(count);
  std::vector<double> sums(kCentroids * width);
  std::vector<std::size_t> sizes(kCentroids);
  for (int iteration = 0; iteration < options.kmeans_iterations; ++iteration) {
    assign(sample, count, width, centroids, labels, options.threads);
    std::fill(sums.begin(), sums.end(), 0.0);
    std::fill(sizes.begin(), sizes.end(), 0);
    for (std::size_t point = 0; point < count; ++point) {
      ++sizes[labels[point]];
      for (std::size_t i = 0; i < width; ++i) sums[labels[point] * width + i] += sample[point * width + i];
    }
    for (std::size_t centroid = 0; centroid < kCentroids; ++centroid) {
      if (sizes[centroid] == 0) {
        // Re-seed on the point worst served by its centroid.
        float worst = -1.0f;
        std::size_t worst_point = 0;
        for (std::size_t point = 0; point < count; ++point) {
          float distance = 0.0f;
          for (std::size_t i = 0; i < width; ++i) {
            const float delta = sample[point * width + i] - centroids[labels[point] * width + i];
            distance += delta * delta;
          }
          if (distance > worst) {
            worst = distance;
            worst_point = point;
          }
        }
        std::copy(sample.begin() + static_cast<std::ptrdiff_t>(worst_point * width),
                  sample.begin() + static_cast<std::ptrdiff_t>((worst_point + 1) * width),
                  centroids.begin() + static_cast<std::ptrdiff_t>(centroid * width));
        labels[worst_point] = static_cast<std::uint8_t>(centroid);
        continue;
      }
      for (std::size_t i = 0; i < width; ++i) {
        centroids[centroid * width + i] = static_cast<float>(sums[centroid * width + i] / static_cast<double>(sizes[centroid]));
      }
    }
  }
  return centroids;
}

void quantise_pq(const std::vector<float>& rows, std::size_t count, std::size_t k, const QuantisationOptions& options,
                 QuantisedFactors& out) {
  const std::size_t subspaces = options.pq_subspaces;
  const std::size_t width = k / subspaces;
  out.subspaces = subspaces;
  out.codes.resize(count * subspaces);
  out.codebooks.resize(subspaces * kCentroids * width);
  SeededRandom random(options.seed, 11);
  std::vector<std::size_t> sample_rows(count);
  for (std::size_t index = 0; index < count; ++index) sample_rows[index] = index;
  random.shuffle(sample_rows);
  sample_rows.resize(std::min(count, std::max(options.kmeans_sample, kCentroids)));
  std::vector<float> slice(count * width);
  std::vector<float> sample(sample_rows.size() * width);
  std::vector<std::uint8_t> labels(count);
  for (std::size_t s = 0; s < subspaces; ++s) {
    for (std::size_t item = 0; item < count; ++item) {
      std::copy(rows.begin() + static_cast<std::ptrdiff_t>(item * k + s * width),
                rows.begin() + static_cast<std::ptrdiff_t>(item * k + (s + 1) * width),
                slice.begin() + static_cast<std::ptrdiff_t>(item * width));
    }
    for (std::size_t index = 0; index < sample_rows.size(); ++index) {
      std::copy(slice.begin() + static_cast<std::ptrdiff_t>(sample_rows[index] * width),
                slice.begin() + static_cast<std::ptrdiff_t>((sample_rows[index] + 1) * width),
                sample.begin() + static_cast<std::ptrdiff_t>(index * width));
    }
    const std::vector<float> centroids = train_codebook(sample, sample_rows.size(), width, options, random);
    assign(slice, count, width, centroids, labels, options.threads);
    std::copy(centroids.begin(), centroids.end(), out.codebooks.begin() + static_cast<std::ptrdiff_t>(s * kCentroids * width));
    for (std::size_t item = 0; item < count; ++item) {
      out.codes[item * subspaces + s] = labels[item];
      const float* centroid = centroids.data() + labels[item] * width;
      std::copy(centroid, centroid + width, out.dequantised.begin() + static_cast<std::ptrdiff_t>(item * k + s * width));
    }
  }
}

}  // namespace

Result<QuantisedFactors> quantise_factors(const std::vector<float>& rows, std::size_t item_count, std::size_t factors,
                                          FactorDType dtype, const QuantisationOptions& options) {
  if (rows.size() != item_count * factors) return Status(ErrorCode::invalid_argument, "factor matrix size does not match its shape");
  if (factors == 0 || factors % kFactorAlignment != 0 || factors > kMaxFactors) {
    return Status(ErrorCode::invalid_argument, "--factors must be a multiple of 8 from 8 to " + std::to_string(kMaxFactors));
  }
  if (dtype == FactorDType::pq &&
      (options.pq_subspaces == 0 || options.pq_subspaces > factors || factors % options.pq_subspaces != 0)) {
    return Status(ErrorCode::invalid_argument, "--pq-subspaces " + std::to_string(options.pq_subspaces) +
                                                   " must divide the number of factors (" + std::to_string(factors) + ")");
  }
  for (const float value : rows) {
    if (!std::isfinite(value)) return Status(ErrorCode::non_finite, "item factors hold NaN or Inf");
  }
  QuantisedFactors out;
  out.dtype = dtype;
  out.item_count = item_count;
  out.factors = factors;
  out.dequantised.resize(rows.size());
  switch (dtype) {
    case FactorDType::f32:
      out.f32 = rows;
      out.dequantised = rows;
      break;
    case FactorDType::f16:
      out.f16.resize(rows.size());
      for (std::size_t index = 0; index < rows.size(); ++index) {
        out.f16[index] = float_to_half(rows[index]);
        out.dequantised[index] = half_to_float(out.f16[index]);
      }
      break;
    case FactorDType::int8:
      quantise_int8(rows, item_count, factors, out);
      break;
    case FactorDType::pq:
      quantise_pq(rows, item_count, factors, options, out);
      break;
  }
  const std::vector<double> gram = gram_matrix(out.dequantised, item_count, factors);
  out.gram.assign(gram.begin(), gram.end());
  return out;
}

}  // namespace shelfwise::training
