// Quantum teleportation: the state ry(theta)|0> moves from q[0] to q[2] through two measured bits.
// Run with: ./qfed run examples/teleport.qasm --param theta=1.2 --shots 2000 --seed 7
OPENQASM 3.0;
include "stdgates.inc";

input angle theta;
qubit[3] q;
bit[2] m;
bit out;

ry(theta) q[0];          // the state to send
h q[1];
cx q[1], q[2];           // Bell pair shared by sender (q[1]) and receiver (q[2])
cx q[0], q[1];
h q[0];
m[0] = measure q[0];
m[1] = measure q[1];
if (m[1]) { x q[2]; }
if (m[0]) { z q[2]; }
out = measure q[2];      // P(out = 1) = sin^2(theta / 2)
