// SPDX-License-Identifier: MIT
/*
 * The microvisor's own hypercalls (abi/microvisor.h, docs/abi.md), for VMs
 * and cells alike.  Each call is decoded first (every argument checked,
 * every capability looked up: an ABI error if anything is wrong) and only
 * then invoked, which cannot fail on its input.
 */
#include <stddef.h>

#include <mv/cap.h>
#include <mv/console.h>
#include <mv/channel.h>
#include <mv/fault.h>
#include <mv/hypercall.h>
#include <mv/objects.h>
#include <mv/sched.h>
#include <mv/vcpu_cap.h>
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

/* A receive's results in x1-x7; its x0: signals alone are news too, only
 * "nothing at all" is empty. */
static int64_t recv_result(uint64_t *x, int rc, uint64_t signals, const struct channel_msg *m)
{
	x[1] = m->badge;
	x[2] = signals;
	x[3] = m->nwords;
	for (unsigned i = 0; i < MV_CHANNEL_WORDS; i++)
		x[4 + i] = i < m->nwords ? m->word[i] : 0;
	return rc == MV_ERR_EMPTY && signals ? MV_OK : rc;
}

/* Receive on ch.  With block, a vCPU that finds nothing blocks until a
 * send is handed to it; hypercall_resume() then writes the results. */
static int64_t recv(struct vcpu *v, struct channel *ch, bool block, uint64_t *x)
{
	struct vm *vm = v->vm;
	struct channel_msg m = { 0 };
	uint64_t signals;
	bool room;
	int rc;

	if (!block)
		return recv_result(x, channel_recv(ch, &signals, &m), signals, &m);
	spin_lock(&vm->lock);
	rc = channel_recv_or_wait(ch, &signals, &m, &v->recv_wait, &room);
	if (rc == CHANNEL_WAITING && v->state == VCPU_RUNNABLE) {
		/* channel_notify() wakes it, under this lock. */
		v->state = VCPU_BLOCKED;
		v->timer_deadline = 0;
	}
	spin_unlock(&vm->lock);
	if (rc == CHANNEL_WAITING) {
		fault_client_idle(vm);	/* writes it posted, now that it waits */
		return MV_OK;	/* results when it resumes */
	}
	channel_tell_room(ch, room);
	return recv_result(x, rc, signals, &m);
}

static int64_t hc_recv(struct vcpu *v, uint64_t *x)
{
	const struct cap *c;
	int rc = cap_lookup(&v->vm->cspace, x[1], CAP_CHANNEL, MV_RIGHT_RECV, &c);

	if (rc)
		return rc;
	if (x[2] & ~(uint64_t)MV_RECV_BLOCK)
		return MV_ERR_INVAL;
	return recv(v, c->object, x[2] & MV_RECV_BLOCK, x);
}

/* Send on one channel, then receive (blocking) on another: a client's
 * call and a server's reply-and-wait, in one exit. */
static int64_t hc_send_recv(struct vcpu *v, uint64_t *x)
{
	const struct cap *s, *r;
	int rc = cap_lookup(&v->vm->cspace, x[1] & 0xffff, CAP_CHANNEL, MV_RIGHT_SEND, &s);

	if (!rc)
		rc = cap_lookup(&v->vm->cspace, (x[1] >> 16) & 0xffff, CAP_CHANNEL,
				MV_RIGHT_RECV, &r);
	if (rc)
		return rc;
	if (x[1] >> 32 || x[3] > MV_CHANNEL_WORDS)
		return MV_ERR_INVAL;
	rc = channel_send(s->object, s->badge, x[2], (unsigned)x[3], &x[4]);
	if (rc)
		return rc;
	return recv(v, r->object, true, x);
}

/*
 * MV_HC_CHANNEL_SEND_RECV's fastpath: the send is handed to a vCPU blocked
 * receiving on it, on this CPU, that the scheduler would run next once the
 * caller blocks in its receive.  Then the call's whole effect is what the
 * general path would do (hc_send_recv, domain_notify, sched_wake,
 * sched_switch_blocked, hypercall_resume), without its passes: the results
 * go straight into the receiver's saved registers and the caller waits on
 * its receive channel.  Returns the receiver, now running in the caller's
 * place (*next_event_at as sched_handoff sets it); NULL, having changed
 * nothing, for anything else: an error, a message queued or waiting, a
 * receiver elsewhere, busy or of a VM (its virtual interrupt, its other
 * vCPUs), the caller or receiver stopping.  The caller has saved cur's
 * registers: the decision marks it no longer running.
 */
struct vcpu *hypercall_send_recv_fast(struct vcpu *cur, uint64_t *x, uint64_t *next_event_at)
{
	const struct cspace *cs = &cur->vm->cspace;
	uint64_t ss = x[1] & 0xffff, rs = (x[1] >> 16) & 0xffff;
	const struct cap *sc, *rc;
	struct channel *s, *r;
	struct channel_waiter *w;
	struct vcpu *peer;
	struct vm *a = cur->vm, *b;
	unsigned n = (unsigned)x[3];
	uint64_t *px;

	if (ss >= MV_CSPACE_SLOTS || rs >= MV_CSPACE_SLOTS || x[1] >> 32 ||
	    x[3] > MV_CHANNEL_WORDS || !(x[2] | x[3]))
		return NULL;
	sc = &cs->slot[ss];
	rc = &cs->slot[rs];
	if (sc->type != CAP_CHANNEL || !(sc->rights & MV_RIGHT_SEND) ||
	    rc->type != CAP_CHANNEL || !(rc->rights & MV_RIGHT_RECV))
		return NULL;
	s = sc->object;
	r = rc->object;
	/* A first look without the locks, checked again under them. */
	w = __atomic_load_n(&s->waiters, __ATOMIC_RELAXED);
	/* handoff_cpu: a receiver of one vCPU, here, of another domain,
	 * woken without a virtual interrupt; only its vCPU waits on s. */
	if (!w || s == r || s->handoff_cpu != cur->pcpu)
		return NULL;
	peer = (struct vcpu *)((char *)w - offsetof(struct vcpu, recv_wait));
	b = peer->vm;
	/* No VM lock: the states change under the run-queue lock
	 * (sched_handoff_block), and the channels' locks keep every sender
	 * that could wake either vCPU out until cur waits on r. */
	spin_lock_pair(s->lock, r->lock);
	if (s->waiters != w || r->count || r->signals || r->waiters ||
	    !sched_handoff_block(cur->pcpu, cur, peer, next_event_at))
		goto refused;
	/* The send, handed over (channel_send) and received (hypercall_resume). */
	s->waiters = w->next;
	w->next = NULL;
	w->channel = NULL;
	w->delivered = false;
	px = arch_vcpu_saved_args(peer);
	px[0] = MV_OK;
	px[1] = n ? sc->badge : 0;
	px[2] = x[2];
	px[3] = n;
	px[4] = n > 0 ? x[4] : 0;
	px[5] = n > 1 ? x[5] : 0;
	px[6] = n > 2 ? x[6] : 0;
	px[7] = n > 3 ? x[7] : 0;
	static_assert(MV_CHANNEL_WORDS == 4, "the words above");
	__atomic_store_n(&b->notified, true, __ATOMIC_RELAXED);	/* as domain_notify */
	/* The receive, waiting (recv, channel_recv_or_wait). */
	cur->recv_wait.channel = r;
	cur->recv_wait.next = NULL;
	cur->recv_wait.delivered = false;
	r->waiters = &cur->recv_wait;
	spin_unlock_pair(s->lock, r->lock);
	fault_client_idle(a);	/* writes it posted, now that it waits */
	return peer;
refused:
	spin_unlock_pair(s->lock, r->lock);
	return NULL;
}

/* v runs again after blocking in a receive: the results, in its x0-x7. */
void hypercall_resume(struct vcpu *v, uint64_t *x)
{
	struct channel_waiter *w = &v->recv_wait;
	static const struct channel_msg none;

	if (channel_wait_end(w))
		x[0] = (uint64_t)recv_result(x, w->msg.nwords ? MV_OK : MV_ERR_EMPTY,
					     w->signals, &w->msg);
	else
		x[0] = (uint64_t)recv_result(x, MV_ERR_EMPTY, 0, &none);
}

/* Block the caller until one of the channels it receives on has work.
 * The notification flag is set by channel_notify() under the VM lock. */
void hypercall_wait(struct vcpu *v, const void *port)
{
	struct vm *vm = v->vm;
	bool blocks = false;

	spin_lock(&vm->lock);
	if (vm->notified) {
		vm->notified = false;
	} else if (v->state == VCPU_RUNNABLE) {
		v->state = VCPU_BLOCKED;
		v->timer_deadline = 0;
		v->waiting = true;
		v->wait_port = port;
		blocks = true;
	}
	spin_unlock(&vm->lock);
	fault_client_idle(vm);	/* writes it posted, now that it waits */
	if (blocks)
		console_cell_waits(vm);	/* a power-off may wait for it */
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
		rc = hc_recv(v, x);
		break;
	case MV_HC_CHANNEL_SEND_RECV:
		rc = hc_send_recv(v, x);
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
	case MV_HC_CONSOLE_ATTACH:
		rc = console_hc_attach(v->vm, x);
		break;
	case MV_HC_CONSOLE_DOMAIN:
		rc = console_hc_domain(v->vm, x);
		break;
	case MV_HC_WINDOW_ATTACH:
		rc = fault_hc_window_attach(v, x);
		break;
	case MV_HC_WINDOW_IRQ:
		rc = fault_hc_window_irq(v, x);
		break;
	case MV_HC_SPACE_INFO:
		rc = space_hc_info(v->vm, x);
		break;
	case MV_HC_VCPU_CONTROL:
		rc = vcpu_hc_control(v, x);
		break;
	case MV_HC_VCPU_REGS:
		rc = vcpu_hc_regs(v, x);
		break;
	default:
		rc = MV_ERR_NOT_SUPPORTED;
		break;
	}
	x[0] = (uint64_t)rc;
}

/* A queue that a VM's send found full has room: raise its from-virq. */
void channel_room(void *ctx)
{
	struct channel_end *end = ctx;

	spin_lock(&end->vm->lock);
	vm_kick_mask(end->vm, vgic_inject_edge(&end->vm->vgic, 0, end->virq));
	spin_unlock(&end->vm->lock);
}

/* A channel got work: tell its receiving domain.  A VM gets its virtual
 * interrupt; a vCPU waiting in MV_HC_WAIT wakes up, and so does one that
 * was handed the send while blocked in a receive. */
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

		if (w->state != VCPU_BLOCKED)
			continue;
		if (w->waiting) {
			w->waiting = false;
			vm->notified = false;
			sched_wake(w);
		} else if (__atomic_load_n(&w->recv_wait.delivered, __ATOMIC_ACQUIRE)) {
			sched_wake(w);
		}
	}
	spin_unlock(&vm->lock);
}
