package dev.qfed.emulator.state;

/**
 * The obviously correct state vector for tests: one interleaved double array, gates applied by their definition.
 */
final class ReferenceState {
    final int n;
    final double[] amp;

    ReferenceState(int n) {
        this.n = n;
        this.amp = new double[2 << n];
        amp[0] = 1;
    }

    void apply(int[] controls, int controlValues, int[] targets, double[] m) {
        int k = targets.length;
        int dim = 1 << k;
        double[] in = new double[2 * dim];
        for (int i = 0; i < (1 << n); i++) {
            if (!isBase(i, controls, controlValues, targets)) {
                continue;
            }
            for (int c = 0; c < dim; c++) {
                int idx = index(i, targets, c);
                in[2 * c] = amp[2 * idx];
                in[2 * c + 1] = amp[2 * idx + 1];
            }
            for (int r = 0; r < dim; r++) {
                double re = 0;
                double im = 0;
                for (int c = 0; c < dim; c++) {
                    double mr = m[2 * (r * dim + c)];
                    double mi = m[2 * (r * dim + c) + 1];
                    re += mr * in[2 * c] - mi * in[2 * c + 1];
                    im += mr * in[2 * c + 1] + mi * in[2 * c];
                }
                int idx = index(i, targets, r);
                amp[2 * idx] = re;
                amp[2 * idx + 1] = im;
            }
        }
    }

    void applyDiagonal(int[] controls, int controlValues, int[] targets, double[] d) {
        int dim = 1 << targets.length;
        double[] m = new double[2 * dim * dim];
        for (int r = 0; r < dim; r++) {
            m[2 * (r * dim + r)] = d[2 * r];
            m[2 * (r * dim + r) + 1] = d[2 * r + 1];
        }
        apply(controls, controlValues, targets, m);
    }

    double probabilityOfOne(int q) {
        double p = 0;
        for (int i = 0; i < (1 << n); i++) {
            if (((i >>> q) & 1) != 0) {
                p += amp[2 * i] * amp[2 * i] + amp[2 * i + 1] * amp[2 * i + 1];
            }
        }
        return p;
    }

    /** The index whose cumulative interval contains u (of the normalised distribution). */
    long sample(double u) {
        double total = 0;
        for (int i = 0; i < (1 << n); i++) {
            total += amp[2 * i] * amp[2 * i] + amp[2 * i + 1] * amp[2 * i + 1];
        }
        double c = 0;
        long last = 0;
        for (int i = 0; i < (1 << n); i++) {
            double p = amp[2 * i] * amp[2 * i] + amp[2 * i + 1] * amp[2 * i + 1];
            if (p > 0) {
                c += p;
                last = i;
                if (u * total < c) {
                    return i;
                }
            }
        }
        return last;
    }

    private static boolean isBase(int i, int[] controls, int controlValues, int[] targets) {
        for (int t : targets) {
            if (((i >>> t) & 1) != 0) {
                return false;
            }
        }
        for (int c = 0; c < controls.length; c++) {
            if (((i >>> controls[c]) & 1) != ((controlValues >>> c) & 1)) {
                return false;
            }
        }
        return true;
    }

    private static int index(int base, int[] targets, int m) {
        int idx = base;
        for (int j = 0; j < targets.length; j++) {
            idx |= ((m >>> j) & 1) << targets[j];
        }
        return idx;
    }
}
