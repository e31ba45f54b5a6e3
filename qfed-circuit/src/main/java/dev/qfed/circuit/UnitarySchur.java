package dev.qfed.circuit;

/**
 * Complex Schur decomposition A = Q·T·Q† of a small square matrix, used for principal powers of gate unitaries.
 *
 * <p>Householder reduction to Hessenberg form, then single-shift QR iterations with Givens rotations, Wilkinson
 * shifts and deflation (the textbook complex QR algorithm). For a normal matrix (every unitary) T is diagonal up to
 * rounding, so the columns of Q are orthonormal eigenvectors even when eigenvalues repeat; that is why this is
 * preferred over solving for eigenvectors one eigenvalue at a time. Exceptional shifts break the stalls that plain
 * Wilkinson shifts hit on unitaries such as cyclic permutations, whose trailing 2x2 block has a zero shift.
 */
final class UnitarySchur {
    private static final double ULP = Math.ulp(1.0);
    private static final int MAX_ITERATIONS_PER_EIGENVALUE = 60;

    private final int n;
    private final double[][] tr;
    private final double[][] ti;
    private final double[][] qr;
    private final double[][] qi;

    private UnitarySchur(int n) {
        this.n = n;
        tr = new double[n][n];
        ti = new double[n][n];
        qr = new double[n][n];
        qi = new double[n][n];
    }

    static UnitarySchur of(ComplexMatrix a) {
        UnitarySchur s = new UnitarySchur(a.dim());
        for (int r = 0; r < s.n; r++) {
            s.qr[r][r] = 1;
            for (int c = 0; c < s.n; c++) {
                s.tr[r][c] = a.re(r, c);
                s.ti[r][c] = a.im(r, c);
            }
        }
        s.reduceToHessenberg();
        s.iterate();
        return s;
    }

    double eigenRe(int i) {
        return tr[i][i];
    }

    double eigenIm(int i) {
        return ti[i][i];
    }

    /** Q, whose columns are the Schur vectors (eigenvectors for a normal matrix). */
    ComplexMatrix vectors() {
        double[] d = new double[2 * n * n];
        for (int r = 0; r < n; r++) {
            for (int c = 0; c < n; c++) {
                d[2 * (r * n + c)] = qr[r][c];
                d[2 * (r * n + c) + 1] = qi[r][c];
            }
        }
        return ComplexMatrix.of(n, d);
    }

    private void reduceToHessenberg() {
        double[] vr = new double[n];
        double[] vi = new double[n];
        for (int k = 0; k < n - 2; k++) {
            double norm = 0;
            for (int i = k + 1; i < n; i++) {
                norm = Math.hypot(norm, Math.hypot(tr[i][k], ti[i][k]));
            }
            double tail = 0;
            for (int i = k + 2; i < n; i++) {
                tail = Math.hypot(tail, Math.hypot(tr[i][k], ti[i][k]));
            }
            if (tail == 0) {
                continue;
            }
            // v = x − α·e1, α = −e^{i·arg x0}·‖x‖ (no cancellation); reflector I − 2vv† with v normalised
            double x0 = Math.hypot(tr[k + 1][k], ti[k + 1][k]);
            double pr = x0 == 0 ? 1 : tr[k + 1][k] / x0;
            double pi = x0 == 0 ? 0 : ti[k + 1][k] / x0;
            for (int i = 0; i < n; i++) {
                vr[i] = 0;
                vi[i] = 0;
            }
            vr[k + 1] = tr[k + 1][k] + pr * norm;
            vi[k + 1] = ti[k + 1][k] + pi * norm;
            for (int i = k + 2; i < n; i++) {
                vr[i] = tr[i][k];
                vi[i] = ti[i][k];
            }
            double vnorm = 0;
            for (int i = k + 1; i < n; i++) {
                vnorm = Math.hypot(vnorm, Math.hypot(vr[i], vi[i]));
            }
            for (int i = k + 1; i < n; i++) {
                vr[i] /= vnorm;
                vi[i] /= vnorm;
            }
            reflectRows(vr, vi, k + 1, tr, ti);
            reflectColumns(vr, vi, k + 1, tr, ti);
            reflectColumns(vr, vi, k + 1, qr, qi);
        }
    }

    /** A ← (I − 2vv†)·A, v supported on indices ≥ from. */
    private void reflectRows(double[] vr, double[] vi, int from, double[][] ar, double[][] ai) {
        for (int c = 0; c < n; c++) {
            double sr = 0;
            double si = 0;
            for (int i = from; i < n; i++) { // s = v†·A[:,c]
                sr += vr[i] * ar[i][c] + vi[i] * ai[i][c];
                si += vr[i] * ai[i][c] - vi[i] * ar[i][c];
            }
            for (int i = from; i < n; i++) {
                ar[i][c] -= 2 * (vr[i] * sr - vi[i] * si);
                ai[i][c] -= 2 * (vr[i] * si + vi[i] * sr);
            }
        }
    }

    /** A ← A·(I − 2vv†), v supported on indices ≥ from. */
    private void reflectColumns(double[] vr, double[] vi, int from, double[][] ar, double[][] ai) {
        for (int r = 0; r < n; r++) {
            double sr = 0;
            double si = 0;
            for (int i = from; i < n; i++) { // s = A[r,:]·v
                sr += ar[r][i] * vr[i] - ai[r][i] * vi[i];
                si += ar[r][i] * vi[i] + ai[r][i] * vr[i];
            }
            for (int i = from; i < n; i++) { // A[r,i] −= 2·s·conj(v_i)
                ar[r][i] -= 2 * (sr * vr[i] + si * vi[i]);
                ai[r][i] -= 2 * (si * vr[i] - sr * vi[i]);
            }
        }
    }

    private void iterate() {
        double scale = 0;
        for (int r = 0; r < n; r++) {
            for (int c = 0; c < n; c++) {
                scale = Math.hypot(scale, Math.hypot(tr[r][c], ti[r][c]));
            }
        }
        double[] cs = new double[n];
        double[] sr = new double[n];
        double[] si = new double[n];
        int hi = n - 1;
        int iterations = 0;
        while (hi > 0) {
            int lo = hi;
            while (lo > 0) {
                double sub = Math.hypot(tr[lo][lo - 1], ti[lo][lo - 1]);
                double diag = Math.hypot(tr[lo - 1][lo - 1], ti[lo - 1][lo - 1]) + Math.hypot(tr[lo][lo], ti[lo][lo]);
                if (sub <= ULP * (diag == 0 ? scale : diag) || sub <= Double.MIN_NORMAL * scale) {
                    tr[lo][lo - 1] = 0;
                    ti[lo][lo - 1] = 0;
                    break;
                }
                lo--;
            }
            if (lo == hi) {
                hi--;
                iterations = 0;
                continue;
            }
            if (++iterations > MAX_ITERATIONS_PER_EIGENVALUE) {
                throw new ArithmeticException("complex QR iteration did not converge on a " + n + "x" + n
                        + " matrix");
            }
            double muR;
            double muI;
            if (iterations % 10 == 0) {
                // exceptional shift: off the unit circle's symmetric points where Wilkinson shifts can stall
                double mag = Math.hypot(tr[hi][hi - 1], ti[hi][hi - 1])
                        + (hi >= 2 ? Math.hypot(tr[hi - 1][hi - 2], ti[hi - 1][hi - 2]) : 0);
                muR = tr[hi][hi] + 0.75 * mag * Math.cos(0.4 * iterations);
                muI = ti[hi][hi] + 0.75 * mag * Math.sin(0.4 * iterations);
            } else {
                double[] mu = wilkinsonShift(hi);
                muR = mu[0];
                muI = mu[1];
            }
            for (int i = lo; i <= hi; i++) {
                tr[i][i] -= muR;
                ti[i][i] -= muI;
            }
            // R = G_{hi−1}…G_lo·(H − μ), rotations applied to whole rows so T stays a Schur form of A
            for (int k = lo; k < hi; k++) {
                double fr = tr[k][k];
                double fi = ti[k][k];
                double gr = tr[k + 1][k];
                double gi = ti[k + 1][k];
                double fa = Math.hypot(fr, fi);
                double nrm = Math.hypot(fa, Math.hypot(gr, gi));
                double c;
                double s1;
                double s2;
                if (nrm == 0) {
                    c = 1;
                    s1 = 0;
                    s2 = 0;
                } else if (fa == 0) {
                    c = 0;
                    s1 = 1;
                    s2 = 0;
                } else {
                    c = fa / nrm;
                    // s = (f/|f|)·conj(g)/nrm
                    double ur = fr / fa;
                    double ui = fi / fa;
                    s1 = (ur * gr + ui * gi) / nrm;
                    s2 = (ui * gr - ur * gi) / nrm;
                }
                cs[k] = c;
                sr[k] = s1;
                si[k] = s2;
                for (int col = k; col < n; col++) {
                    double ar = tr[k][col];
                    double ai = ti[k][col];
                    double br = tr[k + 1][col];
                    double bi = ti[k + 1][col];
                    // row k ← c·a + s·b ; row k+1 ← −conj(s)·a + c·b
                    tr[k][col] = c * ar + s1 * br - s2 * bi;
                    ti[k][col] = c * ai + s1 * bi + s2 * br;
                    tr[k + 1][col] = -(s1 * ar + s2 * ai) + c * br;
                    ti[k + 1][col] = -(s1 * ai - s2 * ar) + c * bi;
                }
            }
            for (int k = lo; k < hi; k++) {
                int lastRow = Math.min(k + 2, hi);
                rotateColumns(tr, ti, 0, lastRow, k, cs[k], sr[k], si[k]);
                rotateColumns(qr, qi, 0, n - 1, k, cs[k], sr[k], si[k]);
            }
            for (int i = lo; i <= hi; i++) {
                tr[i][i] += muR;
                ti[i][i] += muI;
            }
        }
    }

    /** Columns k, k+1 of rows [from, to] ← themselves times G† = [[c, −s], [conj(s), c]]. */
    private static void rotateColumns(double[][] ar, double[][] ai, int from, int to, int k, double c, double s1,
                                      double s2) {
        for (int r = from; r <= to; r++) {
            double xr = ar[r][k];
            double xi = ai[r][k];
            double yr = ar[r][k + 1];
            double yi = ai[r][k + 1];
            // col k ← c·x + conj(s)·y ; col k+1 ← −s·x + c·y
            ar[r][k] = c * xr + s1 * yr + s2 * yi;
            ai[r][k] = c * xi + s1 * yi - s2 * yr;
            ar[r][k + 1] = -(s1 * xr - s2 * xi) + c * yr;
            ai[r][k + 1] = -(s1 * xi + s2 * xr) + c * yi;
        }
    }

    /** The eigenvalue of the trailing 2x2 block of the active window that is closer to its last diagonal entry. */
    private double[] wilkinsonShift(int hi) {
        double ar = tr[hi - 1][hi - 1];
        double ai = ti[hi - 1][hi - 1];
        double br = tr[hi - 1][hi];
        double bi = ti[hi - 1][hi];
        double cr = tr[hi][hi - 1];
        double ci = ti[hi][hi - 1];
        double dr = tr[hi][hi];
        double di = ti[hi][hi];
        // λ = d + h ± sqrt(h² + bc) with h = (a − d)/2
        double hr = (ar - dr) / 2;
        double hi2 = (ai - di) / 2;
        double discR = hr * hr - hi2 * hi2 + br * cr - bi * ci;
        double discI = 2 * hr * hi2 + br * ci + bi * cr;
        double mod = Math.hypot(discR, discI);
        double sqR = Math.sqrt((mod + discR) / 2);
        double sqI = Math.copySign(Math.sqrt(Math.max(0, (mod - discR) / 2)), discI);
        // choose the sign that moves λ away from a, toward d: λ = d + h − sign·sqrt when h·sqrt ≥ 0
        double dot = hr * sqR + hi2 * sqI;
        double sign = dot >= 0 ? -1 : 1;
        return new double[] {dr + hr + sign * sqR, di + hi2 + sign * sqI};
    }
}
