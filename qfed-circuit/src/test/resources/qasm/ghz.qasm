OPENQASM 3.0;
include "stdgates.inc";
include "lib/entangle.inc";

const int n = 5;
qubit[n] q;
bit[n] c;

h q[0];
chain q[0], q[1], q[2], q[3], q[4];
c = measure q;
