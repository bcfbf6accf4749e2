/* libFuzzer target for fpexplain: any bytes through the whole pipeline
 * (scanner, oops and crash parsers, Zydis decoding, explainer, value
 * decoder, human, machine-line and JSON output).  Built with ASan and
 * UBSan by tests/fuzz/run-fuzz-fpexplain.sh; a crash, a leak or a sanitizer
 * report is a finding. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "tools/fpexplain/run.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static FILE *sink;
	struct fx_run_opts o = { .first_no = 1 };

	if (!sink)
		sink = fopen("/dev/null", "w");
	if (!sink)
		return 0;
	/* the hardened-freelist path too, on half the inputs */
	if (size && (data[0] & 1)) {
		o.ex.have_slab_random = o.ex.have_freelist_addr = true;
		o.ex.slab_random = 0x1234567890abcdefull;
		o.ex.freelist_addr = 0xffff888100000010ull;
	}
	fx_run((const char *)data, size, &o, sink);
	o.json = true;
	fx_run((const char *)data, size, &o, sink);
	return 0;
}
