OPENQASM 3.0;
include "stdgates.inc";
input float[64] theta;
input float[64] phi;
gate rzx_custom(_gate_p_0) _gate_q_0, _gate_q_1 {
  h _gate_q_1;
  cx _gate_q_0, _gate_q_1;
  rz(_gate_p_0) _gate_q_1;
  cx _gate_q_0, _gate_q_1;
  h _gate_q_1;
}
bit[2] meas;
qubit[2] q;
h q[0];
rzx_custom(theta/2) q[0], q[1];
ry(-phi) q[1];
barrier q[0], q[1];
meas[0] = measure q[0];
meas[1] = measure q[1];
