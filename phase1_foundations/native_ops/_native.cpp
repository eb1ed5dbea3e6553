// Hot paths of the classical-ML estimators: pairwise distances, top-k selection and the
// decision tree's best-split search. Every loop sums in the same order as the NumPy
// fallback in numpy_ops.py (sequential over features / sorted positions), so the two
// paths give bit-identical results; build with -ffp-contract=off so no FMA changes that.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>

#if defined(__AVX512F__)
#include <immintrin.h>
#endif

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <numeric>
#include <stdexcept>
#include <thread>
#include <tuple>
#include <utility>
#include <vector>

namespace py = pybind11;
using Arr = py::array_t<double, py::array::c_style | py::array::forcecast>;
using IArr = py::array_t<int64_t, py::array::c_style | py::array::forcecast>;

namespace {

// metric 0: squared euclidean sum_f (x_f - y_f)^2; metric 1: manhattan sum_f |x_f - y_f|.
// Y is walked transposed (feature-major) so the inner loop over training rows vectorises
// while each pair still sums its features in order f = 0, 1, ..., d-1.
py::array_t<double> pairwise(Arr X, Arr Y, int metric) {
  auto x = X.unchecked<2>();
  auto y = Y.unchecked<2>();
  const ssize_t n = x.shape(0), m = y.shape(0), d = x.shape(1);
  if (y.shape(1) != d) throw std::invalid_argument("X and Y need the same number of columns");
  std::vector<double> yt(static_cast<size_t>(d * m));
  for (ssize_t j = 0; j < m; ++j)
    for (ssize_t f = 0; f < d; ++f) yt[f * m + j] = y(j, f);
  py::array_t<double> out({n, m});
  double* o = out.mutable_data();
  {
    py::gil_scoped_release release;
    // Tiles of TILE training rows keep the output row and Y's tile in cache while every
    // feature is added in; the order of additions per pair is unchanged.
    constexpr ssize_t TILE = 512;
    for (ssize_t j0 = 0; j0 < m; j0 += TILE) {
      const ssize_t j1 = std::min(m, j0 + TILE);
      for (ssize_t i = 0; i < n; ++i) {
        double* __restrict row = o + i * m;
        std::fill(row + j0, row + j1, 0.0);
        for (ssize_t f = 0; f < d; ++f) {
          const double xf = x(i, f);
          const double* __restrict yf = yt.data() + f * m;
          if (metric == 0) {
            for (ssize_t j = j0; j < j1; ++j) {
              const double diff = xf - yf[j];
              row[j] += diff * diff;
            }
          } else {
            for (ssize_t j = j0; j < j1; ++j) row[j] += std::fabs(xf - yf[j]);
          }
        }
      }
    }
  }
  return out;
}

// The k smallest entries of each row, ordered by (value, column index): ties go to the
// lower index, like a stable sort.
std::tuple<py::array_t<double>, py::array_t<int64_t>> topk_smallest(Arr D, ssize_t k) {
  auto d = D.unchecked<2>();
  const ssize_t n = d.shape(0), m = d.shape(1);
  if (k < 1 || k > m) throw std::invalid_argument("k must be in [1, n_columns]");
  py::array_t<double> vals({n, k});
  py::array_t<int64_t> idx({n, k});
  double* v = vals.mutable_data();
  int64_t* ix = idx.mutable_data();
  {
    py::gil_scoped_release release;
    // A bounded max-heap of (value, index) pairs: one pass per row, and most entries
    // are rejected by a single comparison with the heap's top.
    std::vector<std::pair<double, int64_t>> heap;
    heap.reserve(static_cast<size_t>(k));
    for (ssize_t i = 0; i < n; ++i) {
      const double* row = d.data(i, 0);
      heap.clear();
      for (ssize_t j = 0; j < m; ++j) {
        const std::pair<double, int64_t> item{row[j], j};
        if (static_cast<ssize_t>(heap.size()) < k) {
          heap.push_back(item);
          std::push_heap(heap.begin(), heap.end());
        } else if (item < heap.front()) {
          std::pop_heap(heap.begin(), heap.end());
          heap.back() = item;
          std::push_heap(heap.begin(), heap.end());
        }
      }
      std::sort_heap(heap.begin(), heap.end());
      for (ssize_t j = 0; j < k; ++j) {
        ix[i * k + j] = heap[j].second;
        v[i * k + j] = heap[j].first;
      }
    }
  }
  return {vals, idx};
}

// scikit-learn's: values closer than this are never split apart. It is a float32 constant
// added to float32 values, so the sum is rounded to float32 before the comparison.
constexpr float FEATURE_THRESHOLD = 1e-7f;
// a <= b + FEATURE_THRESHOLD in scikit-learn's float32 arithmetic (inputs are float32 values)
inline bool within_threshold(double a, double b) {
  const float bf = static_cast<float>(b) + FEATURE_THRESHOLD;
  return static_cast<float>(a) <= bf;
}
const double LN2 = std::log(2.0);

// Impurity proxy of one side: gini -> w * gini, entropy -> w * entropy (log2).
double class_side(const double* counts, ssize_t n_classes, double w, int criterion) {
  double imp = 0.0;
  if (criterion == 0) {
    double sq = 0.0;
    for (ssize_t c = 0; c < n_classes; ++c) sq += counts[c] * counts[c];
    imp = 1.0 - sq / (w * w);
  } else {
    for (ssize_t c = 0; c < n_classes; ++c) {
      if (counts[c] > 0.0) {
        const double p = counts[c] / w;
        imp -= p * (std::log(p) / LN2);
      }
    }
  }
  return imp;
}

// Best split of one node over `features` (examined in that order; first strict maximum
// wins). criterion 0 gini, 1 entropy (y = class codes), 2 squared error (y = values).
// Returns (feature or -1, threshold, proxy improvement, n_left).
std::tuple<int64_t, double, double, int64_t> best_split(Arr X, Arr y, IArr features,
                                                        int criterion, int64_t n_classes,
                                                        int64_t min_samples_leaf) {
  auto x = X.unchecked<2>();
  auto yv = y.unchecked<1>();
  auto fs = features.unchecked<1>();
  const ssize_t n = x.shape(0);
  int64_t best_f = -1, best_left = 0;
  double best_thr = 0.0, best_proxy = -INFINITY;
  py::gil_scoped_release release;
  std::vector<std::pair<double, int64_t>> col(static_cast<size_t>(n));
  std::vector<double> total(static_cast<size_t>(std::max<int64_t>(n_classes, 1)), 0.0);
  std::vector<double> left(total.size()), right(total.size());
  double sum_total = 0.0;
  for (ssize_t i = 0; i < n; ++i) {
    if (criterion == 2) sum_total += yv(i);
    else total[static_cast<size_t>(yv(i))] += 1.0;
  }
  for (ssize_t fi = 0; fi < fs.shape(0); ++fi) {
    const int64_t f = fs(fi);
    // Sorting (value, row) pairs is NumPy's argsort(kind="stable"): equal values keep
    // row order, so running sums of regression targets add in the same order in both.
    for (ssize_t i = 0; i < n; ++i) col[i] = {x(i, f), i};
    std::sort(col.begin(), col.end());
    if (within_threshold(col[n - 1].first, col[0].first)) continue;  // constant
    std::fill(left.begin(), left.end(), 0.0);
    double sum_left = 0.0;
    for (ssize_t i = 1; i < n; ++i) {
      const int64_t prev = col[i - 1].second;
      if (criterion == 2) sum_left += yv(prev);
      else left[static_cast<size_t>(yv(prev))] += 1.0;
      const double xa = col[i - 1].first, xb = col[i].first;
      if (within_threshold(xb, xa)) continue;
      if (i < min_samples_leaf || n - i < min_samples_leaf) continue;
      const double wl = static_cast<double>(i), wr = static_cast<double>(n - i);
      double proxy;
      if (criterion == 2) {
        const double sum_right = sum_total - sum_left;
        proxy = sum_left * sum_left / wl + sum_right * sum_right / wr;
      } else {
        for (ssize_t c = 0; c < n_classes; ++c) right[c] = total[c] - left[c];
        const double il = class_side(left.data(), n_classes, wl, criterion);
        const double ir = class_side(right.data(), n_classes, wr, criterion);
        proxy = -wr * ir - wl * il;
      }
      if (proxy > best_proxy) {
        best_proxy = proxy;
        best_f = f;
        best_left = i;
        double thr = xa / 2.0 + xb / 2.0;
        if (thr == xb || std::isinf(thr)) thr = xa;
        best_thr = thr;
      }
    }
  }
  return {best_f, best_thr, best_proxy, best_left};
}

// scikit-learn's simultaneous_sort(use_three_way_partition=True) on (float32 values, sample
// ids): introsort with a median-of-3 pivot and a 3-way partition, insertion sort at 15 or
// fewer, heapsort past 2 log2(n) levels. It is not stable, and a regression node's sums run
// over samples in the order it leaves them, so it is reproduced step for step.
void sk_swap(float* v, int64_t* s, int64_t i, int64_t j) {
  std::swap(v[i], v[j]);
  std::swap(s[i], s[j]);
}

float sk_median3(const float* v, int64_t n) {
  const float a = v[0], b = v[n / 2], c = v[n - 1];
  if (a < b) return b < c ? b : (a < c ? c : a);
  if (b < c) return a < c ? a : c;
  return b;
}

void sk_insertion_sort(float* v, int64_t* s, int64_t n) {
  for (int64_t i = 1; i < n; ++i) {
    const float tv = v[i];
    const int64_t ts = s[i];
    int64_t j = i;
    for (; j > 0 && v[j - 1] > tv; --j) {
      v[j] = v[j - 1];
      s[j] = s[j - 1];
    }
    v[j] = tv;
    s[j] = ts;
  }
}

void sk_sift_down(float* v, int64_t* s, int64_t root, int64_t end) {
  while (true) {
    const int64_t child = root * 2 + 1;
    int64_t maxind = root;
    if (child < end && v[maxind] < v[child]) maxind = child;
    if (child + 1 < end && v[maxind] < v[child + 1]) maxind = child + 1;
    if (maxind == root) return;
    sk_swap(v, s, root, maxind);
    root = maxind;
  }
}

void sk_heapsort(float* v, int64_t* s, int64_t n) {
  for (int64_t start = (n - 2) / 2;; --start) {
    sk_sift_down(v, s, start, n);
    if (start == 0) break;
  }
  for (int64_t end = n - 1; end > 0; --end) {
    sk_swap(v, s, 0, end);
    sk_sift_down(v, s, 0, end);
  }
}

void sk_introsort(float* v, int64_t* s, int64_t n, int64_t maxd) {
  while (n > 15) {
    if (maxd <= 0) {
      sk_heapsort(v, s, n);
      return;
    }
    --maxd;
    const float pivot = sk_median3(v, n);
    int64_t i = 0, l = 0, r = n;
    while (i < r) {
      if (v[i] < pivot) sk_swap(v, s, i++, l++);
      else if (v[i] > pivot) sk_swap(v, s, i, --r);
      else ++i;
    }
    sk_introsort(v, s, l, maxd);
    v += r;
    s += r;
    n -= r;
  }
  sk_insertion_sort(v, s, n);
}

void sk_sort(float* v, int64_t* s, int64_t n) {
  if (n > 0) sk_introsort(v, s, n, 2 * static_cast<int64_t>(std::log2(static_cast<double>(n))));
}

// scikit-learn's BestSplitter with its squared-error criterion on samples[start:end], operation
// for operation: node sums in sample order, each feature of `features` (its draw order,
// constant ones included) sorted in turn with sk_sort, sums moved forward from the last
// position or backward from the end (whichever is nearer), the final partition. `samples` is
// permuted in place as scikit-learn permutes its own. Returns (feature or -1, threshold, pos,
// impurity_left, impurity_right).
std::tuple<int64_t, double, int64_t, double, double> mse_split(
    Arr X, Arr y, py::array_t<int64_t, py::array::c_style> samples, int64_t start, int64_t end,
    IArr features, int64_t min_samples_leaf) {
  auto x = X.unchecked<2>();
  auto yv = y.unchecked<1>();
  auto fs = features.unchecked<1>();
  if (samples.ndim() != 1 || start < 0 || end > samples.shape(0) || end - start < 1)
    throw std::invalid_argument("need 0 <= start < end <= len(samples)");
  int64_t* smp = samples.mutable_data();
  for (int64_t p = start; p < end; ++p)
    if (smp[p] < 0 || smp[p] >= x.shape(0) || smp[p] >= yv.shape(0))
      throw std::invalid_argument("a sample index is out of range");
  for (ssize_t i = 0; i < fs.shape(0); ++i)
    if (fs(i) < 0 || fs(i) >= x.shape(1)) throw std::invalid_argument("a feature is out of range");
  py::gil_scoped_release release;
  const int64_t n = end - start;
  const double wn = static_cast<double>(n);
  double sum_total = 0.0, sq_sum_total = 0.0;
  for (int64_t p = start; p < end; ++p) {
    const double yi = yv(smp[p]);
    sum_total += yi;
    sq_sum_total += yi * yi;
  }
  std::vector<float> fv(static_cast<size_t>(n));
  float* v = fv.data() - start;  // indexed by sample position, like scikit-learn's buffer
  int64_t best_f = -1, best_pos = end;
  double best_thr = 0.0, best_proxy = -INFINITY;
  double sum_left = 0.0, wl = 0.0;
  int64_t pos = start;
  // criterion.update(new_pos): from `pos` forward, or from the end backward when nearer
  auto update = [&](int64_t new_pos) {
    if (new_pos - pos <= end - new_pos) {
      for (int64_t q = pos; q < new_pos; ++q) {
        sum_left += yv(smp[q]);
        wl += 1.0;
      }
    } else {
      sum_left = sum_total;
      wl = wn;
      for (int64_t q = end - 1; q >= new_pos; --q) {
        sum_left -= yv(smp[q]);
        wl -= 1.0;
      }
    }
    pos = new_pos;
  };
  for (ssize_t fi = 0; fi < fs.shape(0); ++fi) {
    const int64_t f = fs(fi);
    for (int64_t p = start; p < end; ++p) v[p] = static_cast<float>(x(smp[p], f));
    sk_sort(v + start, smp + start, n);
    if (within_threshold(v[end - 1], v[start])) continue;  // constant here
    sum_left = 0.0, wl = 0.0, pos = start;                      // criterion.reset()
    for (int64_t p = start + 1; p < end; ++p) {
      while (p < end && within_threshold(v[p], v[p - 1])) ++p;
      if (p >= end) break;
      if (p - start < min_samples_leaf || end - p < min_samples_leaf) continue;
      update(p);
      const double sum_right = sum_total - sum_left, wr = wn - wl;
      const double proxy = sum_left * sum_left / wl + sum_right * sum_right / wr;
      if (proxy > best_proxy) {
        best_proxy = proxy;
        best_f = f;
        best_pos = p;
        double thr = v[p - 1] / 2.0 + v[p] / 2.0;
        if (thr == v[p] || std::isinf(thr)) thr = v[p - 1];
        best_thr = thr;
      }
    }
  }
  if (best_pos >= end) return {-1, 0.0, end, 0.0, 0.0};
  int64_t lo = start, hi = end;  // partition_samples_final
  while (lo < hi) {
    if (static_cast<float>(x(smp[lo], best_f)) <= best_thr) ++lo;
    else std::swap(smp[lo], smp[--hi]);
  }
  sum_left = 0.0, wl = 0.0, pos = start;
  update(best_pos);
  double sq_left = 0.0;
  for (int64_t q = start; q < best_pos; ++q) {
    const double yi = yv(smp[q]);
    sq_left += yi * yi;
  }
  const double wr = wn - wl, sum_right = sum_total - sum_left;
  const double ml = sum_left / wl, mr = sum_right / wr;
  return {best_f, best_thr, best_pos, sq_left / wl - ml * ml, (sq_sum_total - sq_left) / wr - mr * mr};
}

// Squared distances from each row i of X to the rows cols[i, :] of Y, features summed in
// order (the same sums as `pairwise`): kNN's exact re-rank of its screened candidates.
py::array_t<double> sq_euclidean_gather(Arr X, Arr Y, IArr cols) {
  auto x = X.unchecked<2>();
  auto y = Y.unchecked<2>();
  auto c = cols.unchecked<2>();
  const ssize_t n = x.shape(0), d = x.shape(1), m = c.shape(1);
  if (y.shape(1) != d) throw std::invalid_argument("X and Y need the same number of columns");
  if (c.shape(0) != n) throw std::invalid_argument("cols needs one row per row of X");
  for (ssize_t i = 0; i < n; ++i)
    for (ssize_t t = 0; t < m; ++t)
      if (c(i, t) < 0 || c(i, t) >= y.shape(0)) throw std::invalid_argument("a column is out of range");
  py::array_t<double> out({n, m});
  double* o = out.mutable_data();
  py::gil_scoped_release release;
  for (ssize_t i = 0; i < n; ++i) {
    const double* xi = x.data(i, 0);
    for (ssize_t t = 0; t < m; ++t) {
      const double* yj = y.data(c(i, t), 0);
      double acc = 0.0;
      for (ssize_t f = 0; f < d; ++f) {
        const double diff = xi[f] - yj[f];
        acc += diff * diff;
      }
      o[i * m + t] = acc;
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// k-means (Lloyd). Rows are cut into fixed chunks of KMEANS_CHUNK; each chunk sums its own
// rows per cluster, in row order, and the chunk sums are added in chunk order. Threads take
// contiguous runs of chunks, so the result is the same for any thread count, and the NumPy
// fallback (one bincount per chunk and feature, then a loop over chunks) adds in the same order.
constexpr ssize_t KMEANS_CHUNK = 4096;

// Run fn(first_chunk, last_chunk) over n_chunks, split into n_threads contiguous runs.
template <typename Fn>
void over_chunks(ssize_t n_chunks, int64_t n_threads, Fn fn) {
  const ssize_t t = std::max<ssize_t>(1, std::min<ssize_t>(n_threads, n_chunks));
  std::vector<std::thread> pool;
  for (ssize_t w = 1; w < t; ++w)
    pool.emplace_back(fn, n_chunks * w / t, n_chunks * (w + 1) / t);
  fn(0, n_chunks / t);
  for (auto& th : pool) th.join();
}

// Label of one row: argmin over clusters of ||c||^2 - 2 x.c (the first on ties), each dot
// product summed f = 0..d-1. `ct` holds the centres feature-major, padded to KB columns with
// zero centres whose ||c||^2 is +inf, so they are never chosen. KB is a compile-time width:
// the KB running dot products then live in vector registers instead of memory.
template <ssize_t KB>
inline int64_t nearest(const double* x, const double* ct, const double* sq, ssize_t d) {
  double acc[KB];
  for (ssize_t c = 0; c < KB; ++c) acc[c] = 0.0;
  for (ssize_t f = 0; f < d; ++f) {
    const double xf = x[f];
    const double* cf = ct + f * KB;
    for (ssize_t c = 0; c < KB; ++c) acc[c] += xf * cf[c];
  }
  // Branch-free argmin: the minimum score (min is exact, so its order does not matter),
  // then the lowest index holding it. Compare-and-branch per cluster mispredicts on real
  // data and cost more than all the arithmetic.
  double score[KB];
  for (ssize_t c = 0; c < KB; ++c) score[c] = sq[c] - 2.0 * acc[c];
  double low = score[0];
  for (ssize_t c = 1; c < KB; ++c) low = score[c] < low ? score[c] : low;
  uint64_t at = 0;
  for (ssize_t c = 0; c < KB; ++c) at |= static_cast<uint64_t>(score[c] == low) << c;
  return __builtin_ctzll(at);
}

// Any k: the same sums with the running dot products in `acc` (k doubles).
inline int64_t nearest_any(const double* x, const double* ct, const double* sq, double* acc,
                           ssize_t k, ssize_t d) {
  for (ssize_t c = 0; c < k; ++c) acc[c] = 0.0;
  for (ssize_t f = 0; f < d; ++f) {
    const double xf = x[f];
    const double* __restrict cf = ct + f * k;
    for (ssize_t c = 0; c < k; ++c) acc[c] += xf * cf[c];
  }
  int64_t best = 0;
  double best_score = sq[0] - 2.0 * acc[0];
  for (ssize_t c = 1; c < k; ++c) {
    const double score = sq[c] - 2.0 * acc[c];
    if (score < best_score) {
      best_score = score;
      best = c;
    }
  }
  return best;
}

#if defined(__AVX512F__)
// GCC 12's AVX512 headers build "undefined" vectors as `__m512d __Y = __Y;`, which its own
// -Wuninitialized then reports at every use; the warnings are about the header, not this code.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wuninitialized"
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
// Four rows at once, KB = 8 V clusters, with the same per-pair arithmetic as `nearest`
// (0 + x0 c0 + x1 c1 + ..., then ||c||^2 - 2 acc) and the same choice (the lowest index of
// the minimum). Four independent accumulator chains hide the add latency that one row's
// chain of d dependent adds exposes; the whole step ran about 3.5x faster than one row at a time.
template <ssize_t V>
inline void nearest4(const double* x, ssize_t d, const double* ct, const double* sq,
                     int64_t* out) {
  __m512d acc[4][V];
  for (int r = 0; r < 4; ++r)
    for (ssize_t v = 0; v < V; ++v) acc[r][v] = _mm512_setzero_pd();
  for (ssize_t f = 0; f < d; ++f) {
    __m512d c[V];
    for (ssize_t v = 0; v < V; ++v) c[v] = _mm512_loadu_pd(ct + f * 8 * V + 8 * v);
    for (int r = 0; r < 4; ++r) {
      const __m512d xf = _mm512_set1_pd(x[r * d + f]);
      for (ssize_t v = 0; v < V; ++v)
        acc[r][v] = _mm512_add_pd(acc[r][v], _mm512_mul_pd(xf, c[v]));
    }
  }
  const __m512d two = _mm512_set1_pd(2.0);
  for (int r = 0; r < 4; ++r) {
    __m512d score[V];
    __m512d low = _mm512_set1_pd(INFINITY);
    for (ssize_t v = 0; v < V; ++v) {
      score[v] = _mm512_sub_pd(_mm512_loadu_pd(sq + 8 * v), _mm512_mul_pd(two, acc[r][v]));
      low = _mm512_min_pd(low, score[v]);
    }
    const __m512d m = _mm512_set1_pd(_mm512_reduce_min_pd(low));
    uint64_t at = 0;
    for (ssize_t v = 0; v < V; ++v)
      at |= static_cast<uint64_t>(_mm512_cmp_pd_mask(score[v], m, _CMP_EQ_OQ)) << (8 * v);
    out[r] = __builtin_ctzll(at);
  }
}

// dst[f] += row[f] for f < d, eight lanes at a time (each element still adds in row order).
inline void add_row(double* dst, const double* row, ssize_t d) {
  for (ssize_t f = 0; f < d; f += 8) {
    const __mmask8 m = d - f >= 8 ? __mmask8(0xFF) : __mmask8((1u << (d - f)) - 1u);
    const __m512d sum = _mm512_add_pd(_mm512_maskz_loadu_pd(m, dst + f), _mm512_maskz_loadu_pd(m, row + f));
    _mm512_mask_storeu_pd(dst + f, m, sum);
  }
}
#pragma GCC diagnostic pop
#else
inline void add_row(double* dst, const double* row, ssize_t d) {
  for (ssize_t f = 0; f < d; ++f) dst[f] += row[f];
}
#endif

// Labels rows [begin, end) and adds each row into its cluster's sums (row order).
template <ssize_t KB>
int64_t label_and_sum(const double* xp, ssize_t begin, ssize_t end, ssize_t d, ssize_t k,
                      const double* ct, const double* sq, int64_t* lab, double* ps, double* pc) {
  int64_t changed = 0;
  std::vector<double> acc(KB == 0 ? static_cast<size_t>(k) : 0);
  auto record = [&](ssize_t i, int64_t best) {
    changed += static_cast<int64_t>(best != lab[i]);
    lab[i] = best;
    add_row(ps + best * d, xp + i * d, d);
    pc[best] += 1.0;
  };
  ssize_t i = begin;
#if defined(__AVX512F__)
  if constexpr (KB > 0) {
    int64_t best[4];
    for (; i + 4 <= end; i += 4) {
      nearest4<KB / 8>(xp + i * d, d, ct, sq, best);
      for (int r = 0; r < 4; ++r) record(i + r, best[r]);
    }
  }
#endif
  for (; i < end; ++i) {
    if constexpr (KB == 0) record(i, nearest_any(xp + i * d, ct, sq, acc.data(), k, d));
    else record(i, nearest<KB>(xp + i * d, ct, sq, d));
  }
  return changed;
}

// One Lloyd step: relabel every row against `centres` (in place in `labels`), and return
// (rows whose label changed, per-cluster sums (k, d), per-cluster counts (k,)).
std::tuple<int64_t, py::array_t<double>, py::array_t<double>> kmeans_step(
    Arr X, Arr centres, py::array_t<int64_t, py::array::c_style> labels, int64_t n_threads) {
  auto x = X.unchecked<2>();
  auto cen = centres.unchecked<2>();
  const ssize_t n = x.shape(0), d = x.shape(1), k = cen.shape(0);
  if (cen.shape(1) != d) throw std::invalid_argument("centres need X's number of columns");
  if (k < 1) throw std::invalid_argument("kmeans_step needs at least one centre");
  if (labels.ndim() != 1 || labels.shape(0) != n)
    throw std::invalid_argument("labels must be a 1-d int64 array with one entry per row");
  int64_t* lab = labels.mutable_data();
  // Register width for the dot products: k rounded up to 8, 16 or 32; 0 = any k, in memory.
  const ssize_t kb = k <= 8 ? 8 : k <= 16 ? 16 : k <= 32 ? 32 : 0;
  const ssize_t width = kb ? kb : k;
  std::vector<double> ct(static_cast<size_t>(d * width), 0.0);
  std::vector<double> sq(static_cast<size_t>(width), INFINITY);
  for (ssize_t c = 0; c < k; ++c) {
    sq[c] = 0.0;
    for (ssize_t f = 0; f < d; ++f) {
      ct[f * width + c] = cen(c, f);
      sq[c] += cen(c, f) * cen(c, f);
    }
  }
  const ssize_t n_chunks = (n + KMEANS_CHUNK - 1) / KMEANS_CHUNK;
  std::vector<double> psums(static_cast<size_t>(n_chunks * k * d), 0.0);
  std::vector<double> pcounts(static_cast<size_t>(n_chunks * k), 0.0);
  std::vector<int64_t> pchanged(static_cast<size_t>(n_chunks), 0);
  py::array_t<double> sums({k, d});
  py::array_t<double> counts(k);
  {
    py::gil_scoped_release release;
    const double* xp = x.data(0, 0);
    over_chunks(n_chunks, n_threads, [&](ssize_t first, ssize_t last) {
      for (ssize_t ch = first; ch < last; ++ch) {
        const ssize_t begin = ch * KMEANS_CHUNK, end = std::min(n, begin + KMEANS_CHUNK);
        double* ps = psums.data() + ch * k * d;
        double* pc = pcounts.data() + ch * k;
        const double *cp = ct.data(), *sp = sq.data();
        switch (kb) {
          case 8: pchanged[ch] = label_and_sum<8>(xp, begin, end, d, k, cp, sp, lab, ps, pc); break;
          case 16: pchanged[ch] = label_and_sum<16>(xp, begin, end, d, k, cp, sp, lab, ps, pc); break;
          case 32: pchanged[ch] = label_and_sum<32>(xp, begin, end, d, k, cp, sp, lab, ps, pc); break;
          default: pchanged[ch] = label_and_sum<0>(xp, begin, end, d, k, cp, sp, lab, ps, pc);
        }
      }
    });
    double* s = sums.mutable_data();
    double* cn = counts.mutable_data();
    std::fill(s, s + k * d, 0.0);
    std::fill(cn, cn + k, 0.0);
    for (ssize_t ch = 0; ch < n_chunks; ++ch) {
      for (ssize_t j = 0; j < k * d; ++j) s[j] += psums[ch * k * d + j];
      for (ssize_t c = 0; c < k; ++c) cn[c] += pcounts[ch * k + c];
    }
  }
  int64_t changed = 0;
  for (int64_t v : pchanged) changed += v;
  return {changed, sums, counts};
}

// Sum over rows of ||x - centres[label]||^2: features in order per row, rows in order per
// chunk, chunks in order.
double kmeans_inertia(Arr X, Arr centres, IArr labels, int64_t n_threads) {
  auto x = X.unchecked<2>();
  auto cen = centres.unchecked<2>();
  auto lab = labels.unchecked<1>();
  const ssize_t n = x.shape(0), d = x.shape(1), k = cen.shape(0);
  if (cen.shape(1) != d) throw std::invalid_argument("centres need X's number of columns");
  if (lab.shape(0) != n) throw std::invalid_argument("labels need one entry per row");
  for (ssize_t i = 0; i < n; ++i)
    if (lab(i) < 0 || lab(i) >= k) throw std::invalid_argument("a label is out of range");
  const ssize_t n_chunks = (n + KMEANS_CHUNK - 1) / KMEANS_CHUNK;
  std::vector<double> partial(static_cast<size_t>(n_chunks), 0.0);
  py::gil_scoped_release release;
  const double* xp = x.data(0, 0);
  const double* cp = cen.data(0, 0);
  over_chunks(n_chunks, n_threads, [&](ssize_t first, ssize_t last) {
    for (ssize_t ch = first; ch < last; ++ch) {
      double total = 0.0;
      for (ssize_t i = ch * KMEANS_CHUNK; i < std::min(n, (ch + 1) * KMEANS_CHUNK); ++i) {
        const double* row = xp + i * d;
        const double* c = cp + lab(i) * d;
        double dist = 0.0;
        for (ssize_t f = 0; f < d; ++f) {
          const double diff = row[f] - c[f];
          dist += diff * diff;
        }
        total += dist;
      }
      partial[ch] = total;
    }
  });
  double inertia = 0.0;
  for (double p : partial) inertia += p;
  return inertia;
}

// ---------------------------------------------------------------------------------------------
// kNN screening: for each query row q (augmented [x, 1]) and each training column j of FT
// (feature-major, augmented [-2 y, ||y||^2]), score(q, j) = sum_f q_f FT[f, j] in order
// f = 0..D-1, and keep the `top` smallest scores per query ordered by (score, j). This is
// topk_smallest(Q @ FT) without ever holding the (queries x training rows) score matrix:
// training rows are walked in L2-sized tiles, four queries x sixteen training rows at a time
// in registers, and each score is compared with its query's current cut-off on the spot.
constexpr ssize_t KNN_TILE = 2048;  // training rows per tile: D x 2048 doubles stay in L2

// A query's candidates: every (score, index) under the cut-off is appended to a buffer;
// when the buffer is full it is cut back to the `top` best (nth_element) and the cut-off
// drops to the top-th score. Appending is one compare and one store. A max-heap updated on
// every improvement cost a quarter of the screen's time on 1,000 training rows (7.1 ms
// against 5.5 ms for 1,000 queries), where most queries improve dozens of times early on.
struct Best {
  std::vector<std::pair<double, int64_t>> buf;
  ssize_t top;
  double cut = INFINITY;
  explicit Best(ssize_t top_) : top(top_) { buf.reserve(static_cast<size_t>(capacity())); }
  ssize_t capacity() const { return 2 * top + 16; }
  double cutoff() const { return cut; }
  // Training rows arrive in increasing index, so a later score equal to the cut-off never
  // ranks above the top-th (lower-index) entry: strict <.
  void offer(double score, int64_t j) {
    if (!(score < cut)) return;
    buf.emplace_back(score, j);
    if (static_cast<ssize_t>(buf.size()) == capacity()) shrink();
  }
  void shrink() {
    if (static_cast<ssize_t>(buf.size()) <= top) return;
    std::nth_element(buf.begin(), buf.begin() + (top - 1), buf.end());
    buf.resize(static_cast<size_t>(top));
    cut = buf[static_cast<size_t>(top - 1)].first;
  }
  // The `top` best, ordered by (score, index).
  void finish() {
    shrink();
    std::sort(buf.begin(), buf.end());
  }
};

void knn_scores_scalar(const double* q, const double* ft, ssize_t D, ssize_t stride, ssize_t j0,
                       ssize_t j1, Best& best) {
  for (ssize_t j = j0; j < j1; ++j) {
    double acc = 0.0;
    for (ssize_t f = 0; f < D; ++f) acc += q[f] * ft[f * stride + j];
    if (acc < best.cutoff()) best.offer(acc, j);
  }
}

#if defined(__AVX512F__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wuninitialized"
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
// Scores of 4 queries x 16 training rows [j, j + 16), each summed f = 0..D-1 (mul, then add:
// the same rounding as the scalar loop and the NumPy fallback).
inline void knn_block(const double* const q[4], const double* ft, ssize_t D, ssize_t stride,
                      ssize_t j, Best* best[4]) {
  __m512d acc[4][2];
  for (int r = 0; r < 4; ++r) acc[r][0] = acc[r][1] = _mm512_setzero_pd();
  for (ssize_t f = 0; f < D; ++f) {
    const __m512d y0 = _mm512_loadu_pd(ft + f * stride + j);
    const __m512d y1 = _mm512_loadu_pd(ft + f * stride + j + 8);
    for (int r = 0; r < 4; ++r) {
      const __m512d qf = _mm512_set1_pd(q[r][f]);
      acc[r][0] = _mm512_add_pd(acc[r][0], _mm512_mul_pd(qf, y0));
      acc[r][1] = _mm512_add_pd(acc[r][1], _mm512_mul_pd(qf, y1));
    }
  }
  for (int r = 0; r < 4; ++r) {
    const __m512d cut = _mm512_set1_pd(best[r]->cutoff());
    const unsigned hits = _mm512_cmp_pd_mask(acc[r][0], cut, _CMP_LT_OQ) |
                          (unsigned(_mm512_cmp_pd_mask(acc[r][1], cut, _CMP_LT_OQ)) << 8);
    if (hits == 0) continue;  // the common case once the heap has filled
    alignas(64) double s[16];
    _mm512_store_pd(s, acc[r][0]);
    _mm512_store_pd(s + 8, acc[r][1]);
    for (unsigned m = hits; m; m &= m - 1) {
      const int lane = __builtin_ctz(m);
      best[r]->offer(s[lane], j + lane);
    }
  }
}
#pragma GCC diagnostic pop
#endif

std::tuple<py::array_t<double>, py::array_t<int64_t>> knn_screen(Arr Q, Arr FT, ssize_t n,
                                                                 ssize_t top, int64_t n_threads) {
  auto q = Q.unchecked<2>();
  auto ft = FT.unchecked<2>();
  const ssize_t nq = q.shape(0), D = q.shape(1), stride = ft.shape(1);
  if (ft.shape(0) != D) throw std::invalid_argument("Q and FT need the same number of features");
  if (n < 1 || n > stride) throw std::invalid_argument("n must be in [1, FT.shape[1]]");
  if (top < 1 || top > n) throw std::invalid_argument("top must be in [1, n]");
  py::array_t<double> vals({nq, top});
  py::array_t<int64_t> idx({nq, top});
  double* v = vals.mutable_data();
  int64_t* ix = idx.mutable_data();
  {
    py::gil_scoped_release release;
    const double* qp = q.data(0, 0);
    const double* fp = ft.data(0, 0);
    // Threads take contiguous runs of 4-query groups; each query's answer is independent.
    const ssize_t groups = (nq + 3) / 4;
    over_chunks(groups, n_threads, [&](ssize_t g0, ssize_t g1) {
      std::vector<Best> best;
      const ssize_t r0 = g0 * 4, r1 = std::min(nq, g1 * 4);
      for (ssize_t r = r0; r < r1; ++r) best.emplace_back(top);
      for (ssize_t t0 = 0; t0 < n; t0 += KNN_TILE) {
        const ssize_t t1 = std::min(n, t0 + KNN_TILE);
        for (ssize_t r = r0; r < r1; r += 4) {
          const ssize_t rows = std::min<ssize_t>(4, r1 - r);
          ssize_t j = t0;
#if defined(__AVX512F__)
          if (rows == 4) {
            const double* qs[4] = {qp + r * D, qp + (r + 1) * D, qp + (r + 2) * D,
                                   qp + (r + 3) * D};
            Best* bs[4] = {&best[r - r0], &best[r - r0 + 1], &best[r - r0 + 2], &best[r - r0 + 3]};
            for (; j + 16 <= t1; j += 16) knn_block(qs, fp, D, stride, j, bs);
          }
#endif
          for (ssize_t i = 0; i < rows; ++i)
            knn_scores_scalar(qp + (r + i) * D, fp, D, stride, j, t1, best[r - r0 + i]);
        }
      }
      for (ssize_t r = r0; r < r1; ++r) {
        Best& b = best[r - r0];
        b.finish();  // top <= n, so every query holds at least `top` candidates
        for (ssize_t t = 0; t < top; ++t) {
          v[r * top + t] = b.buf[static_cast<size_t>(t)].first;
          ix[r * top + t] = b.buf[static_cast<size_t>(t)].second;
        }
      }
    });
  }
  return {vals, idx};
}

}  // namespace

PYBIND11_MODULE(_native, m) {
  m.doc() = "C++ hot paths for phase1_foundations.classical_ml";
  m.def("pairwise_sq_euclidean", [](Arr X, Arr Y) { return pairwise(X, Y, 0); },
        "Squared euclidean distances, features summed in order.");
  m.def("pairwise_manhattan", [](Arr X, Arr Y) { return pairwise(X, Y, 1); },
        "Manhattan distances, features summed in order.");
  m.def("topk_smallest", &topk_smallest, "k smallest per row, ordered by (value, index).");
  m.def("best_split", &best_split, "Best CART split of one node.");
  // noconvert: samples are permuted in place, so a silently converted copy would lose that.
  m.def("mse_split", &mse_split, py::arg("X"), py::arg("y"), py::arg("samples").noconvert(),
        py::arg("start"), py::arg("end"), py::arg("features"), py::arg("min_samples_leaf"),
        "scikit-learn's squared-error best split of samples[start:end], permuting samples.");
  // noconvert: labels are written in place, so a silently converted copy would lose them.
  m.def("kmeans_step", &kmeans_step, py::arg("X"), py::arg("centres"),
        py::arg("labels").noconvert(), py::arg("n_threads"),
        "One Lloyd step: relabel in place; (changed, cluster sums, cluster counts).");
  m.def("sq_euclidean_gather", &sq_euclidean_gather,
        "Squared distances from row i of X to rows cols[i] of Y, features summed in order.");
  m.def("knn_screen", &knn_screen, py::arg("Q"), py::arg("FT"), py::arg("n"), py::arg("top"),
        py::arg("n_threads"),
        "The `top` smallest of Q @ FT[:, :n] per row, by (score, column), never stored whole.");
  m.def("kmeans_inertia", &kmeans_inertia, py::arg("X"), py::arg("centres"), py::arg("labels"),
        py::arg("n_threads"), "Sum of squared distances from each row to its centre.");
}
