// SPDX-License-Identifier: MIT
/*
 * vcpu capabilities (mv/vcpu_cap.h, docs/abi.md "Spaces and vCPUs"):
 * suspend, resume and inspect a vCPU of another domain, and change its
 * registers while it is suspended.
 *
 * A suspended vCPU keeps its state (runnable, blocked, waiting for a
 * fault's answer, off) and everything that happens to it (a wake-up, an
 * answer) still happens; the scheduler just never loads it (sched.c's
 * runnable()).  suspended is written under the VM lock.  Its registers are
 * read and written only once it is loaded on no CPU, under the VM lock,
 * which every other writer of a vCPU's saved registers holds (PSCI
 * CPU_ON, a fault's answer, a VM's reset).
 */
#include <mv/arch.h>
#include <mv/cap.h>
#include <mv/sched.h>
#include <mv/vcpu_cap.h>
#include <mv/vmm.h>

/* The vCPU in slot, for a call that needs right (0: its arguments are
 * malformed, checked after the capability, which any right passes). */
static int lookup(struct vcpu *self, uint64_t slot, uint32_t right, struct vcpu **t)
{
	const struct cap *c;
	int rc = cap_lookup(&self->vm->cspace, slot, CAP_VCPU, right ? right : MV_RIGHT_READ, &c);

	if (rc)
		return rc;
	if (!right)
		return MV_ERR_INVAL;
	*t = c->object;
	return MV_OK;
}

/*
 * Wait until t, suspended, is loaded on no CPU (its registers saved where
 * the caller can read them).  Its CPU was kicked if it was loaded there,
 * and leaves it at that interrupt's exit at the latest: bounded.  False if
 * the wait was given up because the caller was suspended meanwhile (cells
 * suspending each other: each would wait for a CPU that waits for it; the
 * caller's CPU must go back and take its own kick), or because t was
 * resumed (or its domain reset).
 */
static bool wait_unloaded(const struct vcpu *self, struct vcpu *t)
{
	for (;;) {
		if (!sched_vcpu_loaded(t))
			return true;
		while (__atomic_load_n(&t->running, __ATOMIC_ACQUIRE)) {
			if (__atomic_load_n(&self->suspended, __ATOMIC_RELAXED) ||
			    !__atomic_load_n(&t->suspended, __ATOMIC_RELAXED))
				return false;
			arch_relax();
		}
	}
}

int64_t vcpu_hc_control(struct vcpu *self, uint64_t *x)
{
	struct vcpu *t;
	struct vm *vm;
	uint64_t op = x[2];
	bool kick = false;
	int rc = lookup(self, x[1], vcpu_control_right(op), &t);

	if (rc)
		return rc;
	vm = t->vm;
	spin_lock(&vm->lock);
	if (vm->stopped) {
		spin_unlock(&vm->lock);
		return MV_ERR_STOPPED;
	}
	if (op == MV_VCPU_SUSPEND && !t->suspended) {
		__atomic_store_n(&t->suspended, true, __ATOMIC_RELAXED);
		/* Under its run-queue lock: loaded now, or never again. */
		kick = sched_vcpu_loaded(t) && t->pcpu != arch_cpu_id();
	} else if (op == MV_VCPU_RESUME && t->suspended) {
		__atomic_store_n(&t->suspended, false, __ATOMIC_RELAXED);
		if (t->state == VCPU_RUNNABLE)
			sched_wake(t);	/* back on its run queue */
	}
	spin_unlock(&vm->lock);
	if (kick)
		arch_kick_cpu(t->pcpu);
	if (op == MV_VCPU_SUSPEND)
		wait_unloaded(self, t);
	spin_lock(&vm->lock);
	x[1] = vcpu_status(t->state, t->suspended);
	spin_unlock(&vm->lock);
	for (unsigned i = 2; i < 8; i++)
		x[i] = 0;
	return MV_OK;
}

int64_t vcpu_hc_regs(struct vcpu *self, uint64_t *x)
{
	uint64_t op = x[2], first = x[3], count = x[4], value[7];
	struct vcpu *t;
	struct vm *vm;
	int rc = lookup(self, x[1], vcpu_regs_right(op, first, count), &t);

	if (rc)
		return rc;
	vm = t->vm;
	if (__atomic_load_n(&vm->stopped, __ATOMIC_ACQUIRE))
		return MV_ERR_STOPPED;
	if (!__atomic_load_n(&t->suspended, __ATOMIC_RELAXED) || !wait_unloaded(self, t))
		return MV_ERR_RUNNING;
	spin_lock(&vm->lock);
	if (vm->stopped) {
		rc = MV_ERR_STOPPED;
	} else if (!t->suspended) {
		rc = MV_ERR_RUNNING;	/* resumed meanwhile */
	} else if (op == MV_VCPU_READ) {
		for (unsigned i = 0; i < count; i++)
			arch_vcpu_reg_read(t, (unsigned)(first + i), &value[i]);
	} else {
		/* Checked first: an error writes nothing. */
		for (unsigned i = 0; i < count; i++)
			if (first + i == MV_VCPU_REG_PSTATE && !arch_vcpu_pstate_ok(x[5 + i]))
				rc = MV_ERR_INVAL;
		for (unsigned i = 0; i < count && !rc; i++)
			arch_vcpu_reg_write(t, (unsigned)(first + i), x[5 + i]);
	}
	spin_unlock(&vm->lock);
	if (!rc)
		for (unsigned i = 0; i < 7; i++)
			x[1 + i] = op == MV_VCPU_READ && i < count ? value[i] : 0;
	return rc;
}
