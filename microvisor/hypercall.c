// SPDX-License-Identifier: MIT
/*
 * The microvisor's own hypercalls (abi/microvisor.h, docs/abi.md), for VMs
 * and cells alike.  Each call is decoded first (every argument checked,
 * every capability looked up: an ABI error if anything is wrong) and only
 * then invoked, which cannot fail on its input.
 */
#include <mv/cap.h>
#include <mv/channel.h>
#include <mv/fault.h>
#include <mv/hypercall.h>
#include <mv/objects.h>
#include <mv/sched.h>
#include <mv/vmm.h>

static int64_t hc_send(struct vm *vm, uint64_t *x)
{
	const struct cap *c;
	int rc = cap_lookup(&vm->cspace, x[1], CAP_CHANNEL, MV_RIGHT_SEND, &c);

	if (rc)
		return rc;
	if (x[3] > MV_CHANNEL_WORDS)
		return MV_ERR_INVAL;
	return channel_send(c->object, c->badge, x[2], (unsigned)x[3], &x[4]);
}

static int64_t hc_recv(struct vm *vm, uint64_t *x)
{
	const struct cap *c;
	struct channel_msg m = { 0 };
	uint64_t signals;
	int rc = cap_lookup(&vm->cspace, x[1], CAP_CHANNEL, MV_RIGHT_RECV, &c);

	if (rc)
		return rc;
	rc = channel_recv(c->object, &signals, &m);
	x[1] = m.badge;
	x[2] = signals;
	x[3] = m.nwords;
	for (unsigned i = 0; i < MV_CHANNEL_WORDS; i++)
		x[4 + i] = i < m.nwords ? m.word[i] : 0;
	/* Signals alone are news too: only "nothing at all" is empty. */
	return rc == MV_ERR_EMPTY && signals ? MV_OK : rc;
}

/* Block the caller until one of the channels it receives on has work.
 * The notification flag is set by channel_notify() under the VM lock. */
void hypercall_wait(struct vcpu *v, const void *port)
{
	struct vm *vm = v->vm;

	spin_lock(&vm->lock);
	if (vm->notified) {
		vm->notified = false;
	} else if (v->state == VCPU_RUNNABLE) {
		v->state = VCPU_BLOCKED;
		v->timer_deadline = 0;
		v->waiting = true;
		v->wait_port = port;
	}
	spin_unlock(&vm->lock);
	vm_console_flush(vm);	/* a partial line, now that it waits */
}

bool hypercall_is_ours(uint64_t fid)
{
	return fid >= MV_HC_BASE && fid <= MV_HC_BASE + 0xffff;
}

void hypercall(struct vcpu *v, uint64_t *x)
{
	int64_t rc;

	switch (x[0]) {
	case MV_HC_NULL:
		rc = MV_OK;
		break;
	case MV_HC_CHANNEL_SEND:
		rc = hc_send(v->vm, x);
		break;
	case MV_HC_CHANNEL_RECV:
		rc = hc_recv(v->vm, x);
		break;
	case MV_HC_WAIT:
		hypercall_wait(v, NULL);
		rc = MV_OK;
		break;
	case MV_HC_FAULT_RECV:
		rc = fault_hc_recv(v, x);
		break;
	case MV_HC_FAULT_REPLY:
		rc = fault_hc_reply(v, x);
		break;
	case MV_HC_IRQ_ACK:
		rc = irq_object_ack(v->vm, x[1]);
		break;
	case MV_HC_VIRQ_RAISE:
		rc = virq_object_raise(v->vm, x[1]);
		break;
	default:
		rc = MV_ERR_NOT_SUPPORTED;
		break;
	}
	x[0] = (uint64_t)rc;
}

/* A channel got work: tell its receiving domain.  A VM gets its virtual
 * interrupt; a cell waiting in MV_HC_WAIT wakes up. */
void channel_notify(void *ctx)
{
	struct channel_end *end = ctx;

	domain_notify(end->vm, end->virq);
}

void domain_notify(struct vm *vm, unsigned virq)
{
	spin_lock(&vm->lock);
	vm->notified = true;
	if (virq)
		vm_kick_mask(vm, vgic_inject_edge(&vm->vgic, 0, virq));
	for (unsigned i = 0; i < vm->nvcpus; i++) {
		struct vcpu *w = &vm->vcpu[i];

		if (w->waiting && w->state == VCPU_BLOCKED) {
			w->waiting = false;
			vm->notified = false;
			sched_wake(w);
		}
	}
	spin_unlock(&vm->lock);
}
