import { describe, it, expect } from 'vitest';
import { bfgs } from '../../../src/models/fit/bfgs.js';
import { centralGradient, centralHessian, hessianFromGradient } from '../../../src/models/fit/hessian.js';
import { cholesky, inverseSpd } from '../../../src/models/fit/matrix.js';
import { nelderMead } from '../../../src/models/fit/nelder-mead.js';
import { expectRel } from '../close.js';

const rosenbrock = ([x, y]: readonly number[]): number => (1 - x!) ** 2 + 100 * (y! - x! * x!) ** 2;

describe('matrix helpers', () => {
  it('Cholesky and SPD inverse', () => {
    const a = [
      [4, 2, 0.4],
      [2, 3, 0.5],
      [0.4, 0.5, 2],
    ];
    const l = cholesky(a)!;
    for (let i = 0; i < 3; i++) {
      for (let j = 0; j < 3; j++) {
        let s = 0;
        for (let k = 0; k < 3; k++) s += l[i]![k]! * l[j]![k]!;
        expectRel(s, a[i]![j]!, 1e-15);
      }
    }
    const inv = inverseSpd(a)!;
    for (let i = 0; i < 3; i++) {
      for (let j = 0; j < 3; j++) {
        let s = 0;
        for (let k = 0; k < 3; k++) s += a[i]![k]! * inv[k]![j]!;
        expect(Math.abs(s - (i === j ? 1 : 0))).toBeLessThan(1e-15);
      }
    }
    expect(inv[0]![2]).toBe(inv[2]![0]);
  });

  it('rejects matrices that are not positive definite', () => {
    expect(
      cholesky([
        [1, 2],
        [2, 1],
      ]),
    ).toBeNull();
    expect(
      inverseSpd([
        [0, 0],
        [0, 1],
      ]),
    ).toBeNull();
    expect(
      inverseSpd([
        [NaN, 0],
        [0, 1],
      ]),
    ).toBeNull();
  });
});

describe('numerical derivatives', () => {
  const f = ([x, y]: readonly number[]): number => Math.exp(x!) * Math.sin(y!) + x! * x! * y!;
  const g = ([x, y]: readonly number[]): number[] => [
    Math.exp(x!) * Math.sin(y!) + 2 * x! * y!,
    Math.exp(x!) * Math.cos(y!) + x! * x!,
  ];
  const at = [0.3, 1.2];
  const hExact = [
    [Math.exp(0.3) * Math.sin(1.2) + 2 * 1.2, Math.exp(0.3) * Math.cos(1.2) + 2 * 0.3],
    [Math.exp(0.3) * Math.cos(1.2) + 2 * 0.3, -Math.exp(0.3) * Math.sin(1.2)],
  ];
  it('central gradient', () => {
    centralGradient(f, at).forEach((v, i) => expectRel(v, g(at)[i]!, 1e-9));
  });
  it('central Hessian and Hessian from the gradient', () => {
    const h1 = centralHessian(f, at);
    const h2 = hessianFromGradient(g, at);
    for (let i = 0; i < 2; i++) {
      for (let j = 0; j < 2; j++) {
        expectRel(h1[i]![j]!, hExact[i]![j]!, 1e-6);
        expectRel(h2[i]![j]!, hExact[i]![j]!, 1e-9);
      }
    }
  });
});

describe('Nelder–Mead', () => {
  it('minimises Rosenbrock and tolerates an infeasible region', () => {
    const r = nelderMead(rosenbrock, [-1.2, 1], {
      maxEvaluations: 4000,
      fTolerance: 1e-14,
      xTolerance: 1e-8,
    });
    expect(r.converged).toBe(true);
    expect(Math.abs(r.x[0]! - 1)).toBeLessThan(1e-4);
    expect(Math.abs(r.x[1]! - 1)).toBeLessThan(1e-4);
    const walled = ([x, y]: readonly number[]): number => (x! < 0.5 ? NaN : rosenbrock([x!, y!]));
    const w = nelderMead(walled, [2, 2], { maxEvaluations: 4000, fTolerance: 1e-14, xTolerance: 1e-8 });
    expect(Number.isFinite(w.f)).toBe(true);
    expect(Math.abs(w.x[0]! - 1)).toBeLessThan(1e-3);
  });
});

describe('BFGS', () => {
  it('minimises Rosenbrock with numerical gradients', () => {
    const r = bfgs(rosenbrock, [-1.2, 1], { gradientTolerance: 1e-7, maxIterations: 1000 });
    expect(r.reason).toBe('gradient');
    expect(Math.abs(r.x[0]! - 1)).toBeLessThan(1e-6);
  });
  it('steps back from non-finite values and reports its iteration limit', () => {
    // Minimum at x = 1; the objective is NaN for x < -1, where a long first step would land.
    const f = ([x]: readonly number[]): number => (x! < -1 ? NaN : (x! - 1) ** 2 + Math.exp(-5 * x!));
    const r = bfgs(f, [3], { gradientTolerance: 1e-7 });
    expect(r.reason).toBe('gradient');
    expect(Number.isFinite(r.f)).toBe(true);
    const capped = bfgs(rosenbrock, [-1.2, 1], { maxIterations: 2 });
    expect(capped.reason).toBe('max-iterations');
  });
});
