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
}
