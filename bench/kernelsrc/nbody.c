/* nbody.c: nbody.wat in C. */
#include <math.h>
#include <string.h>

#include "kernels.h"

struct body {
	double x, y, z, vx, vy, vz, m;
};

static struct body bodies[5];

__attribute__((noinline)) static void body(struct body *p, double x, double y, double z, double vx, double vy,
                                           double vz, double m) {
	p->x = x, p->y = y, p->z = z;
	p->vx = vx * 365.24, p->vy = vy * 365.24, p->vz = vz * 365.24;
	p->m = m * 39.47841760435743;
}

static void init(void) {
	memset(bodies, 0, sizeof bodies);
	bodies[0].m = 39.47841760435743;
	body(&bodies[1], 4.84143144246472090e+00, -1.16032004402742839e+00, -1.03622044471123109e-01,
	     1.66007664274403694e-03, 7.69901118419740425e-03, -6.90460016972063023e-05, 9.54791938424326609e-04);
	body(&bodies[2], 8.34336671824457987e+00, 4.12479856412430479e+00, -4.03523417114321381e-01,
	     -2.76742510726862411e-03, 4.99852801234917238e-03, 2.30417297573763929e-05, 2.85885980666130812e-04);
	body(&bodies[3], 1.28943695621391310e+01, -1.51111514016986312e+01, -2.23307578892655734e-01,
	     2.96460137564761618e-03, 2.37847173959480950e-03, -2.96589568540237556e-05, 4.36624404335156298e-05);
	body(&bodies[4], 1.53796971148509165e+01, -2.59193146099879641e+01, 1.79258772950371181e-01,
	     2.68067772490389322e-03, 1.62824170038242295e-03, -9.51592254519715870e-05, 5.15138902046611451e-05);
}

static void advance(void) {
	for (int i = 0; i < 5; i++)
		for (int j = i + 1; j < 5; j++) {
			struct body *bi = &bodies[i], *bj = &bodies[j];
			double dx = bi->x - bj->x, dy = bi->y - bj->y, dz = bi->z - bj->z;
			double d2 = dx * dx + dy * dy + dz * dz;
			double mag = 0.01 / (d2 * sqrt(d2));
			bi->vx = bi->vx - dx * (bj->m * mag);
			bi->vy = bi->vy - dy * (bj->m * mag);
			bi->vz = bi->vz - dz * (bj->m * mag);
			bj->vx = bj->vx + dx * (bi->m * mag);
			bj->vy = bj->vy + dy * (bi->m * mag);
			bj->vz = bj->vz + dz * (bi->m * mag);
		}
	for (int i = 0; i < 5; i++) {
		bodies[i].x = bodies[i].x + 0.01 * bodies[i].vx;
		bodies[i].y = bodies[i].y + 0.01 * bodies[i].vy;
		bodies[i].z = bodies[i].z + 0.01 * bodies[i].vz;
	}
}

static double energy(void) {
	double e = 0;
	for (int i = 0; i < 5; i++) {
		struct body *bi = &bodies[i];
		e = e + 0.5 * bi->m * (bi->vx * bi->vx + bi->vy * bi->vy + bi->vz * bi->vz);
		for (int j = i + 1; j < 5; j++) {
			struct body *bj = &bodies[j];
			double dx = bi->x - bj->x, dy = bi->y - bj->y, dz = bi->z - bj->z;
			e = e - bi->m * bj->m / sqrt(dx * dx + dy * dy + dz * dz);
		}
	}
	return e;
}

uint64_t k_nbody(uint32_t n) {
	init();
	for (uint32_t k = 0; k < n; k++)
		advance();
	double e = energy();
	uint64_t r;
	memcpy(&r, &e, 8);
	return r;
}
