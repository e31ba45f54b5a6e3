OPENQASM 3.0;
include "stdgates.inc";
const int n = 4;
qubit[n] q;
bit[n] c;
for int i in [0:n - 1] {
  h q[i];
  for int j in [i + 1:n - 1] {
    cp(pi / 2 ** (j - i)) q[j], q[i];
  }
}
for int i in [0:n / 2 - 1] {
  swap q[i], q[n - 1 - i];
}
c = measure q;
