/** Ridge least squares: solves (XᵀX + ridge·I) β = Xᵀy by Cholesky (a few dozen columns). */
export function ridgeFit(x: readonly (readonly number[])[], y: readonly number[], ridge = 1e-6): number[] {
  const d = x[0]?.length ?? 0;
  const a = new Float64Array(d * d);
  const b = new Float64Array(d);
  x.forEach((row, r) => {
    for (let i = 0; i < d; i++) {
      const xi = row[i] ?? 0;
      if (xi === 0) continue;
      b[i] = (b[i] ?? 0) + xi * (y[r] ?? 0);
      for (let j = i; j < d; j++) a[i * d + j] = (a[i * d + j] ?? 0) + xi * (row[j] ?? 0);
    }
  });
  const l = new Float64Array(d * d);
  for (let j = 0; j < d; j++) {
    for (let i = j; i < d; i++) {
      let sum = (a[j * d + i] ?? 0) + (i === j ? ridge : 0);
      for (let k = 0; k < j; k++) sum -= (l[i * d + k] ?? 0) * (l[j * d + k] ?? 0);
      l[i * d + j] = i === j ? Math.sqrt(Math.max(sum, 1e-300)) : sum / (l[j * d + j] ?? 1);
    }
  }
  const z = new Float64Array(d);
  for (let i = 0; i < d; i++) {
    let sum = b[i] ?? 0;
    for (let k = 0; k < i; k++) sum -= (l[i * d + k] ?? 0) * (z[k] ?? 0);
    z[i] = sum / (l[i * d + i] ?? 1);
  }
  const beta = new Array<number>(d).fill(0);
  for (let i = d - 1; i >= 0; i--) {
    let sum = z[i] ?? 0;
    for (let k = i + 1; k < d; k++) sum -= (l[k * d + i] ?? 0) * (beta[k] ?? 0);
    beta[i] = sum / (l[i * d + i] ?? 1);
  }
  return beta;
}
