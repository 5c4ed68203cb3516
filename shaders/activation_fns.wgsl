// Pointwise activations shared by the elementwise kernels and the matmul epilogue.
// Composed in front of a kernel's source by its host module (WGSL has no #include).

// GELU, tanh form (PyTorch's approximate='tanh'): 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))).
// tanh is evaluated as 1 − 2/(e^{2u}+1), clamped, because some drivers return NaN for tanh of
// a large argument (e^{2u} overflows to inf and inf/inf appears).
fn gelu_tanh(x: vec4<f32>) -> vec4<f32> {
  let u = clamp(0.7978845608028654 * (x + 0.044715 * x * x * x), vec4<f32>(-15.0), vec4<f32>(15.0));
  let t = 1.0 - 2.0 / (exp(2.0 * u) + 1.0);
  return 0.5 * x * (1.0 + t);
}

// SiLU (swish): x·σ(x).
fn silu(x: vec4<f32>) -> vec4<f32> {
  return x / (1.0 + exp(-x));
}
