/* json: generates a JSON document (nested objects and arrays, numbers,
 * strings with escapes, literals), then tokenizes and parses it by
 * recursive descent again and again, summing what it reads: branchy
 * byte-at-a-time code. */
#include "corpus.h"

typedef struct {
	char *buf;
	size_t len, cap;
} out;

static void put(out *o, const char *s, size_t n) {
	if (o->len + n > o->cap) {
		o->cap = (o->len + n) * 2;
		o->buf = realloc(o->buf, o->cap);
	}
	memcpy(o->buf + o->len, s, n);
	o->len += n;
}
static void puts_(out *o, const char *s) { put(o, s, strlen(s)); }

static const char *words[] = {"alpha", "beta", "gamma", "delta", "tab\\tbed", "quote\\\"d", "uni\\u00e9", "line\\n", "x", "name"};

static void gen(out *o, uint64_t *s, int depth) {
	uint64_t r = corpus_rand(s);
	int kind = depth > 5 ? (int)(r % 4) : (int)(r % 7);
	char num[32];
	switch (kind) {
	case 0:
		snprintf(num, sizeof num, "%d", (int)(r >> 40) - (1 << 23));
		puts_(o, num);
		break;
	case 1:
		snprintf(num, sizeof num, "%u.%02ue%d", (unsigned)(r >> 50), (unsigned)(r >> 20) % 100, (int)(r >> 8 & 7) - 3);
		puts_(o, num);
		break;
	case 2:
		puts_(o, "\"");
		puts_(o, words[(r >> 32) % 10]);
		puts_(o, "\"");
		break;
	case 3:
		puts_(o, (r >> 32) % 3 == 0 ? "true" : (r >> 32) % 3 == 1 ? "false" : "null");
		break;
	case 4:
	case 5: {
		int n = (int)((r >> 32) % 8);
		puts_(o, "{");
		for (int i = 0; i < n; i++) {
			if (i)
				puts_(o, ", ");
			puts_(o, "\"");
			puts_(o, words[(r >> (4 * i)) % 10]);
			puts_(o, "\": ");
			gen(o, s, depth + 1);
		}
		puts_(o, "}");
		break;
	}
	default: {
		int n = (int)((r >> 32) % 10);
		puts_(o, "[");
		for (int i = 0; i < n; i++) {
			if (i)
				puts_(o, ",");
			gen(o, s, depth + 1);
		}
		puts_(o, "]");
	}
	}
}

typedef struct {
	const char *p, *end;
	uint64_t nums, strs, chars, objs, arrs, lits;
	int64_t isum;
	int err;
} parser;

static void ws(parser *p) {
	while (p->p < p->end && (*p->p == ' ' || *p->p == '\n' || *p->p == '\t' || *p->p == '\r'))
		p->p++;
}

static void value(parser *p);

static void string(parser *p) {
	p->p++; /* the opening quote */
	for (;;) {
		if (p->p >= p->end) {
			p->err = 1;
			return;
		}
		char c = *p->p++;
		if (c == '"')
			break;
		if (c == '\\') {
			char e = *p->p++;
			if (e == 'u') {
				unsigned v = 0;
				for (int i = 0; i < 4; i++) {
					char h = *p->p++;
					v = v * 16 + (h >= '0' && h <= '9' ? h - '0' : (h | 32) - 'a' + 10);
				}
				p->chars += v;
			} else if (!strchr("\"\\/bfnrt", e)) {
				p->err = 1;
				return;
			}
		}
		p->chars++;
	}
	p->strs++;
}

static void number(parser *p) {
	int neg = 0;
	int64_t v = 0;
	if (*p->p == '-')
		neg = 1, p->p++;
	while (p->p < p->end && *p->p >= '0' && *p->p <= '9')
		v = v * 10 + (*p->p++ - '0');
	if (p->p < p->end && *p->p == '.') {
		p->p++;
		while (p->p < p->end && *p->p >= '0' && *p->p <= '9')
			v = v * 10 + (*p->p++ - '0');
	}
	if (p->p < p->end && (*p->p == 'e' || *p->p == 'E')) {
		p->p++;
		if (*p->p == '-' || *p->p == '+')
			p->p++;
		while (p->p < p->end && *p->p >= '0' && *p->p <= '9')
			v += *p->p++ - '0';
	}
	p->isum += neg ? -v : v;
	p->nums++;
}

static void literal(parser *p, const char *lit) {
	size_t n = strlen(lit);
	if ((size_t)(p->end - p->p) < n || memcmp(p->p, lit, n) != 0) {
		p->err = 1;
		return;
	}
	p->p += n;
	p->lits++;
}

static void value(parser *p) {
	ws(p);
	if (p->p >= p->end) {
		p->err = 1;
		return;
	}
	switch (*p->p) {
	case '{':
		p->p++;
		p->objs++;
		ws(p);
		if (*p->p == '}') {
			p->p++;
			return;
		}
		for (;;) {
			ws(p);
			if (*p->p != '"') {
				p->err = 1;
				return;
			}
			string(p);
			ws(p);
			if (*p->p++ != ':') {
				p->err = 1;
				return;
			}
			value(p);
			if (p->err)
				return;
			ws(p);
			char c = *p->p++;
			if (c == '}')
				return;
			if (c != ',') {
				p->err = 1;
				return;
			}
		}
	case '[':
		p->p++;
		p->arrs++;
		ws(p);
		if (*p->p == ']') {
			p->p++;
			return;
		}
		for (;;) {
			value(p);
			if (p->err)
				return;
			ws(p);
			char c = *p->p++;
			if (c == ']')
				return;
			if (c != ',') {
				p->err = 1;
				return;
			}
		}
	case '"':
		string(p);
		return;
	case 't':
		literal(p, "true");
		return;
	case 'f':
		literal(p, "false");
		return;
	case 'n':
		literal(p, "null");
		return;
	default:
		number(p);
	}
}

int main(int argc, char **argv) {
	long n = corpus_arg(argc, argv, 100); /* parses of a ~1 MB document */
	out o = {0};
	uint64_t s = 11;
	puts_(&o, "[");
	for (int i = 0; o.len < (1 << 20); i++) {
		if (i)
			puts_(&o, ",\n");
		gen(&o, &s, 0);
	}
	puts_(&o, "]");
	uint64_t sum = 0;
	parser p;
	for (long r = 0; r < n; r++) {
		memset(&p, 0, sizeof p);
		p.p = o.buf, p.end = o.buf + o.len;
		value(&p);
		ws(&p);
		if (p.err || p.p != p.end) {
			printf("json: parse error at %ld\n", (long)(p.p - o.buf));
			return 1;
		}
		sum = sum * 7 + p.nums + p.strs * 3 + p.chars * 5 + p.objs * 11 + p.arrs * 13 + p.lits * 17 + (uint64_t)p.isum;
	}
	printf("json %ld %zu %llu %llu %llu %llu %lld %llu\n", n, o.len, (unsigned long long)p.nums, (unsigned long long)p.strs,
	       (unsigned long long)p.objs, (unsigned long long)p.arrs, (long long)p.isum, (unsigned long long)sum);
	return 0;
}
