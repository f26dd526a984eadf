// SPDX-License-Identifier: MIT
/*
 * Test cell (a service): the supervisor of "crasher" (slot 1, badge 1) and
 * "orphan" (slot 2, badge 2) in tests/dts/crash-report.dts.  Prints every
 * crash report, and for crasher what its vCPU recorded of the exception
 * it took last (read through a vcpu capability, slot 3); restarts crasher
 * after its first crash and stops it after its second; answers orphan's
 * accesses that lost their server with an external abort.
 */
#include <mv_runtime.h>

static const char *reason(unsigned r)
{
	switch (r) {
	case MV_CRASH_VECTOR: return "exception vector not mapped";
	case MV_CRASH_SERROR: return "SError";
	case MV_CRASH_SERVER: return "window server stopped";
	default: return "unknown";
	}
}

/* The crashed vCPU's own record of its last exception: suspended (it
 * waits for the answer anyway), read, resumed. */
static void explain(unsigned vcpu_slot)
{
	uint64_t r[3];
	unsigned status = 0;
	int64_t rc = mv_vcpu_control(vcpu_slot, MV_VCPU_SUSPEND, &status);

	if (rc == MV_OK)
		rc = mv_vcpu_read(vcpu_slot, MV_VCPU_REG_ESR_EL1, 3, r);	/* ESR, FAR, ELR */
	if (rc == MV_OK)
		mv_printf("watchdog: vcpu0 (status 0x%x) last took ESR_EL1 0x%lx, FAR_EL1 0x%lx at ELR_EL1 0x%lx\n",
			  status, r[0], r[1], r[2]);
	else
		mv_printf("watchdog: FAIL reading the crashed vCPU: %ld\n", rc);
	mv_vcpu_control(vcpu_slot, MV_VCPU_RESUME, NULL);
}

static void handle(unsigned slot, const struct mv_fault *f, unsigned *crashes)
{
	unsigned action;
	int64_t rc;

	mv_printf("watchdog: crash report: badge %lu vcpu%u: %s, PC 0x%lx, syndrome 0x%lx, address 0x%lx\n",
		  f->badge, f->vcpu, f->kind == MV_FAULT_CRASH ? reason(f->reason) : "not a crash",
		  f->addr, f->value, f->where);
	if (slot == 1) {
		explain(3);
		action = ++*crashes == 1 ? MV_FAULT_RESET : MV_FAULT_STOP;
	}
	else
		action = MV_FAULT_ABORT;
	mv_printf("watchdog: answering badge %lu: %s\n", f->badge,
		  action == MV_FAULT_RESET ? "reset" : action == MV_FAULT_STOP ? "stop" : "external abort");
	rc = mv_fault_reply(slot, f->vcpu, action, 0);
	if (rc != MV_OK)
		mv_printf("watchdog: FAIL reply: %ld\n", rc);
}

int main(void)
{
	struct mv_fault f;
	unsigned crashes = 0;

	mv_printf("watchdog: supervising\n");
	for (;;) {
		bool any = false;

		for (unsigned slot = 1; slot <= 2; slot++) {
			if (mv_fault_recv(slot, &f, false) == MV_OK) {
				handle(slot, &f, &crashes);
				any = true;
			}
		}
		if (!any)
			mv_wait();
	}
}
