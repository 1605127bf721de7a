/* matmul: C = A×B for n×n f64 matrices in row-major 2-D arrays, i-k-j
 * order, repeated so the product is taken 4 times. */
#include "corpus.h"

int main(int argc, char **argv) {
	int n = (int)corpus_arg(argc, argv, 500);
	double (*a)[n] = malloc(sizeof(double[n][n]));
	double (*b)[n] = malloc(sizeof(double[n][n]));
	double (*c)[n] = malloc(sizeof(double[n][n]));
	uint64_t s = 42;
	for (int i = 0; i < n; i++)
		for (int j = 0; j < n; j++) {
			a[i][j] = (double)(corpus_rand(&s) >> 44) / 1048576.0;
			b[i][j] = (double)(corpus_rand(&s) >> 44) / 1048576.0;
		}
	double sum = 0;
	for (int rep = 0; rep < 4; rep++) {
		for (int i = 0; i < n; i++) {
			for (int j = 0; j < n; j++)
				c[i][j] = 0;
			for (int k = 0; k < n; k++) {
				double aik = a[i][k];
				for (int j = 0; j < n; j++)
					c[i][j] += aik * b[k][j];
			}
		}
		for (int i = 0; i < n; i++)
			sum += c[i][(i * 7 + rep) % n];
		a[rep % n][rep % n] += 1.0; /* each repetition multiplies other matrices */
	}
	printf("matmul %d %.6f\n", n, sum);
	return 0;
}
