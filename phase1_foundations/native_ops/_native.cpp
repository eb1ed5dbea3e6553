// Hot paths of the classical-ML estimators: pairwise distances, top-k selection and the
// decision tree's best-split search. Every loop sums in the same order as the NumPy
// fallback in numpy_ops.py (sequential over features / sorted positions), so the two
// paths give bit-identical results; build with -ffp-contract=off so no FMA changes that.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>
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

constexpr double FEATURE_THRESHOLD = 1e-7;  // scikit-learn's: closer values never split
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
    if (col[n - 1].first <= col[0].first + FEATURE_THRESHOLD) continue;  // constant
    std::fill(left.begin(), left.end(), 0.0);
    double sum_left = 0.0;
    for (ssize_t i = 1; i < n; ++i) {
      const int64_t prev = col[i - 1].second;
      if (criterion == 2) sum_left += yv(prev);
      else left[static_cast<size_t>(yv(prev))] += 1.0;
      const double xa = col[i - 1].first, xb = col[i].first;
      if (xb <= xa + FEATURE_THRESHOLD) continue;
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

}  // namespace

PYBIND11_MODULE(_native, m) {
  m.doc() = "C++ hot paths for phase1_foundations.classical_ml";
  m.def("pairwise_sq_euclidean", [](Arr X, Arr Y) { return pairwise(X, Y, 0); },
        "Squared euclidean distances, features summed in order.");
  m.def("pairwise_manhattan", [](Arr X, Arr Y) { return pairwise(X, Y, 1); },
        "Manhattan distances, features summed in order.");
  m.def("topk_smallest", &topk_smallest, "k smallest per row, ordered by (value, index).");
  m.def("best_split", &best_split, "Best CART split of one node.");
}
