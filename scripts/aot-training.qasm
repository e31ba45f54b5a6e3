// Training run for the JVM's AOT cache (see ./qfed): touches the parser, fusion, the SIMD kernels and their
// warm-up (18 qubits and more), sampling and the report, in a second or two. Not a benchmark.
OPENQASM 2.0;
include "qelib1.inc";
qreg q[18];
creg c[18];
h q[0]; h q[1]; h q[2]; h q[3]; h q[4]; h q[5]; h q[6]; h q[7]; h q[8]; h q[9]; h q[10]; h q[11]; h q[12]; h q[13]; h q[14]; h q[15]; h q[16]; h q[17];
cz q[0],q[1]; cz q[2],q[3]; cz q[4],q[5]; cz q[6],q[7]; cz q[8],q[9]; cz q[10],q[11]; cz q[12],q[13]; cz q[14],q[15]; cz q[16],q[17];
t q[0]; t q[1]; t q[2]; t q[3]; t q[4]; t q[5]; t q[6]; t q[7]; t q[8]; t q[9]; t q[10]; t q[11]; t q[12]; t q[13]; t q[14]; t q[15]; t q[16]; t q[17];
cx q[0],q[5]; cx q[6],q[11]; cx q[12],q[17];
cz q[1],q[2]; cz q[3],q[4]; cz q[5],q[6]; cz q[7],q[8]; cz q[9],q[10]; cz q[11],q[12]; cz q[13],q[14]; cz q[15],q[16];
sx q[0]; sx q[1]; sx q[2]; sx q[3]; sx q[4]; sx q[5]; sx q[6]; sx q[7]; sx q[8]; sx q[9]; sx q[10]; sx q[11]; sx q[12]; sx q[13]; sx q[14]; sx q[15]; sx q[16]; sx q[17];
cx q[1],q[6]; cx q[7],q[12]; cx q[13],q[0];
cz q[0],q[1]; cz q[2],q[3]; cz q[4],q[5]; cz q[6],q[7]; cz q[8],q[9]; cz q[10],q[11]; cz q[12],q[13]; cz q[14],q[15]; cz q[16],q[17];
rz(0.3) q[0]; rz(0.3) q[1]; rz(0.3) q[2]; rz(0.3) q[3]; rz(0.3) q[4]; rz(0.3) q[5]; rz(0.3) q[6]; rz(0.3) q[7]; rz(0.3) q[8]; rz(0.3) q[9]; rz(0.3) q[10]; rz(0.3) q[11]; rz(0.3) q[12]; rz(0.3) q[13]; rz(0.3) q[14]; rz(0.3) q[15]; rz(0.3) q[16]; rz(0.3) q[17];
cx q[2],q[7]; cx q[8],q[13]; cx q[14],q[1];
cz q[1],q[2]; cz q[3],q[4]; cz q[5],q[6]; cz q[7],q[8]; cz q[9],q[10]; cz q[11],q[12]; cz q[13],q[14]; cz q[15],q[16];
ry(pi/2) q[0]; ry(pi/2) q[1]; ry(pi/2) q[2]; ry(pi/2) q[3]; ry(pi/2) q[4]; ry(pi/2) q[5]; ry(pi/2) q[6]; ry(pi/2) q[7]; ry(pi/2) q[8]; ry(pi/2) q[9]; ry(pi/2) q[10]; ry(pi/2) q[11]; ry(pi/2) q[12]; ry(pi/2) q[13]; ry(pi/2) q[14]; ry(pi/2) q[15]; ry(pi/2) q[16]; ry(pi/2) q[17];
cx q[3],q[8]; cx q[9],q[14]; cx q[15],q[2];
u3(0.1,0.2,0.3) q[0]; swap q[1],q[17]; ccx q[2],q[3],q[4]; cp(pi/4) q[5],q[16];
measure q -> c;
