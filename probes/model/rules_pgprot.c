/* Page-level protection (rules_pgprot.h).  SDM Vol. 3:
 *
 * 4.5.4 / Tables 4-14..4-20: a present paging-structure entry with a
 *   reserved bit set (bits MAXPHYADDR..51, bit 63 with EFER.NXE = 0, PS in a
 *   PML4E) stops the walk with a #PF whose error code has P = 1 and RSVD = 1,
 *   whatever the access rights (4.7: "RSVD flag: 1 = the fault was caused by
 *   a reserved bit set to 1 in some paging-structure entry").
 * 4.6.1: a supervisor-mode access (CPL < 3)
 *   - reads any supervisor-mode address; reads a user-mode address (U/S = 1
 *     at every level) unless CR4.SMAP = 1 and RFLAGS.AC = 0 (an explicit
 *     access: STAC sets AC);
 *   - writes with CR0.WP = 0 to any address it may read; with CR0.WP = 1
 *     only where R/W = 1 at every level;
 *   - fetches: not from a user-mode address when CR4.SMEP = 1; not with
 *     XD = 1 when EFER.NXE = 1.
 *   A user-mode access (CPL 3) needs U/S = 1; writes need R/W = 1 (CR0.WP
 *   does not matter); fetches not with XD = 1 (NXE).
 * 4.6.2: with CR4.PKE = 1, a data access to a user-mode address with
 *   protection key i is denied if PKRU.ADi = 1, and a write if PKRU.WDi = 1
 *   and (it is a user-mode access or CR0.WP = 1).  Fetches are not checked.
 * 4.7: PK (bit 5) is 1 exactly when PKRU denies the data access as above
 *   (whether or not something else denies it too).
 * AMD APM Vol. 2 5.6 (SMEP/SMAP, WP), 5.6.6 / 5.6.7 (protection keys), 8.4.2
 * (error code: RSV bit 3, PK bit 5) read the same. */
#include "rules_pgprot.h"
#include "rules.h"

static bool pkru_denies(const struct access *a, const struct page_info *pi, bool write,
			bool fetch)
{
	bool user_access = a->cpl == 3;
	unsigned ad, wd;

	if (!a->cr4_pke || fetch || !pi->user)
		return false;
	ad = (a->pkru >> (2 * pi->pkey)) & 1;
	wd = (a->pkru >> (2 * pi->pkey + 1)) & 1;
	if (ad)
		return true;
	return write && wd && (user_access || !a->cr0_wp_off);
}

bool pgprot_denies(const struct access *a, const struct page_info *pi, bool write,
		   bool fetch, uint32_t *err, const char **reason)
{
	bool user_access = a->cpl == 3;
	bool pk = pkru_denies(a, pi, write, fetch);

	*err = 0;
	if (pi->rsvd) {
		*err = PF_ERR_RSVD;
		*reason = "reserved bit set";
		return true;
	}
	if (pk)
		*err |= PF_ERR_PK;
	if (user_access) {
		if (!pi->user) {
			*reason = "protection: supervisor page";
			return true;
		}
		if (write && !pi->writable) {
			*reason = "protection: read-only";
			return true;
		}
	} else {
		if (fetch && a->cr4_smep && pi->user) {
			*reason = "protection: SMEP";
			return true;
		}
		if (!fetch && a->cr4_smap && pi->user && !a->rflags_ac) {
			*reason = "protection: SMAP";
			return true;
		}
		if (write && !pi->writable && !a->cr0_wp_off) {
			*reason = "protection: read-only (CR0.WP=1)";
			return true;
		}
	}
	if (fetch && a->efer_nxe && pi->nx) {
		*reason = "protection: NX";
		return true;
	}
	if (pk) {
		*reason = "protection key (PKRU)";
		return true;
	}
	return false;
}
