// roadmap::bias_gelu(x, b) = GELU(x + b) with exact erf, fused in one pass over x.
//
// Eager torch computes x + b (reads x, writes a temporary), then GELU (reads the temporary,
// writes y): 4 tensor-sized memory passes. The fused loop reads x once and writes y once, and
// the backward recomputes x + b instead of saving the temporary.
#include <torch/library.h>
#include <ATen/ATen.h>
#include <ATen/Parallel.h>
#include <ATen/cpu/vec/vec.h>
#include <algorithm>
#include <cmath>

namespace {

constexpr double kInvSqrt2 = 0.70710678118654752440;
constexpr double kInvSqrt2Pi = 0.39894228040143267794;

void check_inputs(const at::Tensor& x, const at::Tensor& b) {
  TORCH_CHECK(x.dim() >= 1, "bias_gelu: x must have at least one dimension");
  TORCH_CHECK(b.dim() == 1 && b.size(0) == x.size(-1),
              "bias_gelu: b must have shape (", x.size(-1), ",), got ", b.sizes());
  TORCH_CHECK(x.scalar_type() == b.scalar_type(), "bias_gelu: x and b must share a dtype");
  TORCH_CHECK(x.scalar_type() == at::kFloat || x.scalar_type() == at::kDouble,
              "bias_gelu: float32 or float64 only");
}

// One row of the forward: y = 0.5 v (1 + erf(v / sqrt 2)), v = x + b. ATen's Vectorized (built
// for the SIMD level eager torch uses) gives eager's erf polynomial; the tail runs std::erf.
template <typename scalar_t>
void forward_row(const scalar_t* xr, const scalar_t* bp, scalar_t* yr, int64_t n) {
  using Vec = at::vec::Vectorized<scalar_t>;
  const Vec half(0.5), one(1), inv_sqrt2(kInvSqrt2);
  int64_t j = 0;
  for (; j + Vec::size() <= n; j += Vec::size()) {
    const Vec v = Vec::loadu(xr + j) + Vec::loadu(bp + j);
    (half * v * (one + (v * inv_sqrt2).erf())).store(yr + j);
  }
  for (; j < n; ++j) {
    const scalar_t v = xr[j] + bp[j];
    yr[j] = static_cast<scalar_t>(0.5) * v *
            (static_cast<scalar_t>(1) + std::erf(v * static_cast<scalar_t>(kInvSqrt2)));
  }
}

// One row of the backward: dx = g (Phi(v) + v phi(v)).
template <typename scalar_t>
void backward_row(const scalar_t* gr, const scalar_t* xr, const scalar_t* bp, scalar_t* dr,
                  int64_t n) {
  using Vec = at::vec::Vectorized<scalar_t>;
  const Vec half(0.5), one(1), inv_sqrt2(kInvSqrt2), inv_sqrt2pi(kInvSqrt2Pi), neg_half(-0.5);
  int64_t j = 0;
  for (; j + Vec::size() <= n; j += Vec::size()) {
    const Vec v = Vec::loadu(xr + j) + Vec::loadu(bp + j);
    const Vec cdf = half * (one + (v * inv_sqrt2).erf());
    const Vec pdf = inv_sqrt2pi * (neg_half * v * v).exp();
    (Vec::loadu(gr + j) * (cdf + v * pdf)).store(dr + j);
  }
  for (; j < n; ++j) {
    const scalar_t v = xr[j] + bp[j];
    const scalar_t cdf = static_cast<scalar_t>(0.5) *
        (static_cast<scalar_t>(1) + std::erf(v * static_cast<scalar_t>(kInvSqrt2)));
    const scalar_t pdf = static_cast<scalar_t>(kInvSqrt2Pi) *
        std::exp(static_cast<scalar_t>(-0.5) * v * v);
    dr[j] = gr[j] * (cdf + v * pdf);
  }
}

// Rows per task: enough work per thread that splitting pays (eager uses a 32k-element grain).
int64_t row_grain(int64_t n) { return std::max<int64_t>(1, 32768 / std::max<int64_t>(1, n)); }

at::Tensor bias_gelu_cpu(const at::Tensor& x_in, const at::Tensor& b_in) {
  check_inputs(x_in, b_in);
  at::Tensor x = x_in.contiguous();
  at::Tensor b = b_in.contiguous();
  at::Tensor y = at::empty_like(x);
  const int64_t n = x.size(-1);
  const int64_t total = x.numel();
  if (total == 0) return y;
  AT_DISPATCH_FLOATING_TYPES(x.scalar_type(), "bias_gelu", [&] {
    const scalar_t* xp = x.data_ptr<scalar_t>();
    const scalar_t* bp = b.data_ptr<scalar_t>();
    scalar_t* yp = y.data_ptr<scalar_t>();
    at::parallel_for(0, total / n, row_grain(n), [&](int64_t row_begin, int64_t row_end) {
      for (int64_t r = row_begin; r < row_end; ++r) forward_row(xp + r * n, bp, yp + r * n, n);
    });
  });
  return y;
}

// d/dv GELU(v) = Phi(v) + v * phi(v); the bias gradient is the sum over all but the last dim.
at::Tensor bias_gelu_backward_cpu(const at::Tensor& grad_in, const at::Tensor& x_in,
                                  const at::Tensor& b_in) {
  check_inputs(x_in, b_in);
  at::Tensor grad = grad_in.contiguous();
  at::Tensor x = x_in.contiguous();
  at::Tensor b = b_in.contiguous();
  at::Tensor dx = at::empty_like(x);
  const int64_t n = x.size(-1);
  const int64_t total = x.numel();
  if (total == 0) return dx;
  AT_DISPATCH_FLOATING_TYPES(x.scalar_type(), "bias_gelu_backward", [&] {
    const scalar_t* gp = grad.data_ptr<scalar_t>();
    const scalar_t* xp = x.data_ptr<scalar_t>();
    const scalar_t* bp = b.data_ptr<scalar_t>();
    scalar_t* dp = dx.data_ptr<scalar_t>();
    at::parallel_for(0, total / n, row_grain(n), [&](int64_t row_begin, int64_t row_end) {
      for (int64_t r = row_begin; r < row_end; ++r) {
        backward_row(gp + r * n, xp + r * n, bp, dp + r * n, n);
      }
    });
  });
  return dx;
}

}  // namespace

TORCH_LIBRARY(roadmap, m) {
  m.def("bias_gelu(Tensor x, Tensor b) -> Tensor");
  m.def("bias_gelu_backward(Tensor grad, Tensor x, Tensor b) -> Tensor");
}

TORCH_LIBRARY_IMPL(roadmap, CPU, m) {
  m.impl("bias_gelu", &bias_gelu_cpu);
  m.impl("bias_gelu_backward", &bias_gelu_backward_cpu);
}
