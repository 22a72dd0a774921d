//! Exact and asymptotic risk of the Gaussian ("weak features") family.
//!
//! Setting: x ~ N(0, I_D), y = x·β* + σε, ‖β*‖ = 1; the model of size p sees the first p
//! coordinates T. κ² = ‖β*_{T^c}‖² is the signal it cannot see. All functions return the
//! *excess* risk E‖β̂ − β*_T‖² + κ² (the test error the engine reports for this family).

/// The exact finite-n expected excess risk of the minimum-norm fit (Belkin, Hsu & Xu, "Two
/// models of double descent for weak features", Theorem 1, minus the noise σ²):
/// - p ≤ n − 2: (κ² + σ²)·(1 + p/(n − p − 1)) − σ²
/// - n − 1 ≤ p ≤ n + 1: +∞
/// - p ≥ n + 2: ‖β*_T‖²·(1 − n/p) + (κ² + σ²)·(1 + n/(p − n − 1)) − σ²
pub fn min_norm_exact(n: usize, p: usize, signal_seen: f64, signal_unseen: f64, noise_var: f64) -> f64 {
    let (nf, pf) = (n as f64, p as f64);
    let s2 = signal_unseen + noise_var;
    if p + 2 <= n {
        s2 * (1.0 + pf / (nf - pf - 1.0)) - noise_var
    } else if p <= n + 1 {
        f64::INFINITY
    } else {
        signal_seen * (1.0 - nf / pf) + s2 * (1.0 + nf / (pf - nf - 1.0)) - noise_var
    }
}

/// The Marchenko–Pastur Stieltjes transform m(λ) at −λ for aspect ratio γ = p/n (λ > 0).
pub fn mp_stieltjes(gamma: f64, lambda: f64) -> f64 {
    let b = 1.0 - gamma + lambda;
    (-b + (b * b + 4.0 * gamma * lambda).sqrt()) / (2.0 * gamma * lambda)
}

/// The asymptotic (n, p → ∞, p/n → γ) excess risk of isotropic ridge with penalty λ > 0 in
/// (1/n)·‖y − Xb‖² + λ‖b‖² (Dobriban & Wager; Hastie, Montanari, Rosset & Tibshirani), with the
/// unseen signal acting as noise: σ² → κ² + σ², r² → ‖β*_T‖²; plus κ².
pub fn ridge_asymptotic(gamma: f64, lambda: f64, signal_seen: f64, signal_unseen: f64, noise_var: f64) -> f64 {
    if gamma <= 0.0 {
        return signal_seen + signal_unseen;
    }
    if lambda <= 0.0 {
        // The ridgeless limit.
        let s2 = signal_unseen + noise_var;
        return if gamma < 1.0 {
            s2 * gamma / (1.0 - gamma) + signal_unseen
        } else if gamma > 1.0 {
            signal_seen * (1.0 - 1.0 / gamma) + s2 / (gamma - 1.0) + signal_unseen
        } else {
            f64::INFINITY
        };
    }
    let s2 = signal_unseen + noise_var;
    let m = mp_stieltjes(gamma, lambda);
    let m2 = (gamma * m * m + m) / (2.0 * gamma * lambda * m + 1.0 - gamma + lambda);
    signal_seen * lambda * lambda * m2 + s2 * gamma * (m - lambda * m2) + signal_unseen
}

/// The optimal ridge penalty λ* = (κ² + σ²)·γ / ‖β*_T‖² (Dobriban & Wager; Nakkiran et al.).
pub fn optimal_ridge(gamma: f64, signal_seen: f64, signal_unseen: f64, noise_var: f64) -> f64 {
    if signal_seen <= 0.0 {
        return f64::INFINITY;
    }
    (signal_unseen + noise_var) * gamma / signal_seen
}

/// The asymptotic excess risk at the optimal penalty: (κ² + σ²)·γ·m(λ*) + κ².
pub fn optimal_ridge_risk(gamma: f64, signal_seen: f64, signal_unseen: f64, noise_var: f64) -> f64 {
    let lam = optimal_ridge(gamma, signal_seen, signal_unseen, noise_var);
    if !lam.is_finite() {
        // Nothing to learn: the best fit is β̂ = 0.
        return signal_seen + signal_unseen;
    }
    if lam <= 0.0 {
        return ridge_asymptotic(gamma, 0.0, signal_seen, signal_unseen, noise_var);
    }
    (signal_unseen + noise_var) * gamma * mp_stieltjes(gamma, lam) + signal_unseen
}

/// The asymptotic (n, p → ∞, p/n → γ) expected excess risk of the gaussian family's model trained
/// by gradient descent or gradient flow ([`crate::train`]) from β₀ ~ N(0, α²/p·I), at any step.
///
/// With Σ̂ = ΦᵀΦ/n = Σ sᵢ vᵢvᵢᵀ, each eigen-direction keeps the factor fᵢ = (1 − η·hᵢ)ᵗ (flow:
/// e^(−η·hᵢ·t)) of its distance to the ridge fit, hᵢ = 2sᵢ + 2λ, so
/// βₜ − β*_T = Σ vᵢ[−((1 − fᵢ)·λ/(sᵢ + λ) + fᵢ)·vᵢᵀβ* + (1 − fᵢ)·vᵢᵀΦᵀe/(n(sᵢ + λ)) + fᵢ·vᵢᵀβ₀],
/// e the noise the model sees (the unseen signal and the label noise, variance κ² + σ²). The
/// design's eigenvectors are uniformly random and independent of β*, so E(vᵢᵀβ*)² = r²/p, and
///
/// R(t) = r²·∫ ((1 − f)·λ/(s + λ) + f)² dμ + (κ² + σ²)·γ·∫ (1 − f)²·s/(s + λ)² dμ + α²·∫ f² dμ + κ²,
///
/// μ the Marchenko–Pastur law of Σ̂'s eigenvalues (with its mass 1 − 1/γ at 0 when γ > 1; there
/// the bias factor is 1 and the noise term 0). The only asymptotic part is the spectrum: μ, and
/// the step η = lr·2/L with L at the law's edge, 2(1 + √γ)² + 2λ. As t → ∞ it is the ridge
/// (or ridgeless) limit of [`ridge_asymptotic`], plus α²(1 − 1/γ) what the start left in the null
/// space when λ = 0 and γ > 1. This is Ali, Kolter & Tibshirani's (2019) gradient-flow risk, with
/// weight decay, a start, and discrete steps.
#[derive(Debug, Clone)]
pub struct TrainingTheory {
    /// Quadrature nodes sᵢ of μ's continuous part and their weights (summing to min(1, 1/γ)).
    nodes: Vec<(f64, f64)>,
    /// μ's mass at 0.
    atom: f64,
    gamma: f64,
    lambda: f64,
    /// η·h per unit of (s + λ): x = η·h = `rate`·(s + λ), with η = lr·2/L.
    rate: f64,
    flow: bool,
    signal_seen: f64,
    signal_unseen: f64,
    noise_var: f64,
    init_var: f64,
}

/// Quadrature nodes of the Marchenko–Pastur law (θ-midpoints of s = 1 + γ + 2√γ·cos θ).
const NODES: usize = 600;

impl TrainingTheory {
    /// The theory at aspect ratio `gamma` = p/n, penalty `lambda`, step fraction `lr` (flow:
    /// gradient flow at τ = η·t), signal ‖β*_T‖² seen and κ² unseen, noise variance σ², and
    /// start variance α².
    #[allow(clippy::too_many_arguments)]
    pub fn new(gamma: f64, lambda: f64, lr: f64, flow: bool, signal_seen: f64, signal_unseen: f64, noise_var: f64, init_var: f64) -> TrainingTheory {
        let g = gamma.max(1e-12);
        let (mid, half) = (1.0 + g, 2.0 * g.sqrt());
        let dtheta = std::f64::consts::PI / NODES as f64;
        let nodes = (0..NODES)
            .map(|k| {
                let th = (k as f64 + 0.5) * dtheta;
                let s = mid + half * libm::cos(th);
                let sin = libm::sin(th);
                // ρ(s)·ds = √((b − s)(s − a))/(2πγs)·ds = half²·sin²θ/(2πγs)·dθ.
                (s, half * half * sin * sin / (2.0 * std::f64::consts::PI * g * s) * dtheta)
            })
            .collect();
        let edge = (1.0 + g.sqrt()) * (1.0 + g.sqrt());
        TrainingTheory {
            nodes,
            atom: (1.0 - 1.0 / g).max(0.0),
            gamma: g,
            lambda,
            rate: 2.0 * lr / (edge + lambda),
            flow,
            signal_seen,
            signal_unseen,
            noise_var,
            init_var,
        }
    }

    /// What is left of a direction of eigenvalue `s` after `t` steps.
    fn factor(&self, s: f64, t: f64) -> f64 {
        crate::train::step_factor(self.rate * (s + self.lambda), t, self.flow)
    }

    /// The expected excess risk after `t` steps (+∞ where the integral diverges: at γ = 1 with
    /// no penalty, trained forever).
    pub fn at(&self, t: f64) -> f64 {
        let (lam, mut bias, mut var, mut start) = (self.lambda, 0.0, 0.0, 0.0);
        for &(s, w) in &self.nodes {
            let f = self.factor(s, t);
            let b = (1.0 - f) * lam / (s + lam) + f;
            bias += w * b * b;
            var += w * (1.0 - f) * (1.0 - f) * s / ((s + lam) * (s + lam));
            start += w * f * f;
        }
        // The null space: nothing learned, the start shrinks only by weight decay.
        let f0 = self.factor(0.0, t);
        bias += self.atom;
        start += self.atom * f0 * f0;
        let r = self.signal_seen * bias + (self.signal_unseen + self.noise_var) * self.gamma * var + self.init_var * start + self.signal_unseen;
        if r.is_finite() {
            r
        } else {
            f64::INFINITY
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ridge_formula_tends_to_the_ridgeless_limit_as_the_penalty_vanishes() {
        for &g in &[0.3, 0.8, 1.5, 4.0] {
            let a = ridge_asymptotic(g, 1e-9, 0.7, 0.3, 0.25);
            let b = ridge_asymptotic(g, 0.0, 0.7, 0.3, 0.25);
            assert!((a - b).abs() < 1e-5 * b, "γ={g}: {a} vs {b}");
        }
    }

    #[test]
    fn optimal_ridge_beats_every_other_penalty() {
        for &g in &[0.5, 1.0, 2.0] {
            let best = optimal_ridge_risk(g, 0.8, 0.2, 0.3);
            for &lam in &[0.01, 0.1, 0.3, 1.0, 3.0] {
                assert!(best <= ridge_asymptotic(g, lam, 0.8, 0.2, 0.3) + 1e-12, "γ={g} λ={lam}");
            }
            assert!(best.is_finite());
        }
    }

    #[test]
    fn exact_risk_is_infinite_only_next_to_the_threshold() {
        let n = 20;
        for p in 1..60 {
            let r = min_norm_exact(n, p, 0.5, 0.5, 0.1);
            assert_eq!(r.is_infinite(), (19..=21).contains(&p), "p={p}");
        }
    }

    #[test]
    fn exact_finite_n_risk_approaches_the_asymptotic_curve() {
        let n = 4000;
        for &p in &[1000, 3000, 6000, 12000] {
            let exact = min_norm_exact(n, p, 0.6, 0.4, 0.2);
            let asym = ridge_asymptotic(p as f64 / n as f64, 0.0, 0.6, 0.4, 0.2);
            assert!((exact - asym).abs() < 0.01 * asym, "p={p}: {exact} vs {asym}");
        }
    }
    #[test]
    fn the_training_theory_starts_at_the_start_and_ends_at_the_ridge_limit() {
        // At step 0 the model is β₀: risk r² + α² + κ² (independent of the design).
        for &(g, lam) in &[(0.5, 0.0), (2.0, 0.0), (0.8, 0.1), (3.0, 0.05)] {
            let th = TrainingTheory::new(g, lam, 0.5, false, 0.7, 0.3, 0.25, 0.4);
            let r0 = th.at(0.0);
            assert!((r0 - (0.7 + 0.4 + 0.3)).abs() < 1e-3, "γ={g} λ={lam}: {r0}");
            // Trained (all but) forever: the ridge or ridgeless limit, plus the start's null-space
            // part when nothing decays it.
            let from_zero = TrainingTheory::new(g, lam, 0.5, false, 0.7, 0.3, 0.25, 0.0).at(1e9);
            let limit = ridge_asymptotic(g, lam, 0.7, 0.3, 0.25);
            assert!((from_zero - limit).abs() < 2e-3 * limit, "γ={g} λ={lam}: {from_zero} vs {limit}");
            let left = if lam == 0.0 && g > 1.0 { 0.4 * (1.0 - 1.0 / g) } else { 0.0 };
            assert!((th.at(1e9) - limit - left).abs() < 2e-3 * limit, "γ={g} λ={lam}");
        }
        // Gradient flow at time ηt and small steps agree.
        let (gd, gf) = (TrainingTheory::new(1.5, 0.0, 0.001, false, 1.0, 0.0, 0.3, 0.0), TrainingTheory::new(1.5, 0.0, 0.001, true, 1.0, 0.0, 0.3, 0.0));
        for t in [10.0, 1e3, 1e5] {
            assert!((gd.at(t) - gf.at(t)).abs() < 1e-3 * gf.at(t), "t={t}");
        }
        // At the threshold without ridge the peak grows without bound as training goes on.
        let at1 = TrainingTheory::new(1.0, 0.0, 0.5, false, 1.0, 0.0, 0.25, 0.0);
        assert!(at1.at(1e2) < at1.at(1e4) && at1.at(1e4) < at1.at(1e6) && at1.at(1e6) > 10.0);
    }
}
