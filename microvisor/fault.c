// SPDX-License-Identifier: MIT
/*
 * Faults as messages (mv/fault.h): windows served by cells, crash reports
 * to supervisors.
 *
 * Locks: a port's lock guards the records of the vCPUs whose fault went to
 * it and is taken last, never around another lock but a run queue's (the
 * fastpaths' sched_handoff; the scheduler takes no other lock).  A VM's lock guards its
 * vCPUs' states.  A vCPU's registers are written here only while it is
 * not loaded on any CPU (running clear), and only before it is woken.
 */
#include <string.h>

#include <mv/arch.h>
#include <mv/cap.h>
#include <mv/fault.h>
#include <mv/hypercall.h>
#include <mv/print.h>
#include <mv/sched.h>
#include <mv/system.h>
#include <mv/vmm.h>
#include <mv/window.h>

struct fault_port {
	struct spinlock lock;		/* the records of vCPUs waiting on it */
	const struct fault_desc *desc;
	struct vm *client, *server;
	struct channel_end end;		/* the server, to wake */
	struct window_post post;	/* windows: published reads, posted writes */
};

static struct fault_port ports[MV_MAX_FAULT_DESCS];
static struct fault_port *windows[MV_MAX_VMS][VM_MAX_WINDOWS + 1];	/* + the UART's */
static unsigned nwindows[MV_MAX_VMS];
static struct fault_port *supervisor[MV_MAX_VMS];
static struct fault_record records[MV_MAX_VMS][MV_MAX_VCPUS];

static const char *const crash_reasons[] = {
	[MV_CRASH_VECTOR] = "exception vector not mapped",
	[MV_CRASH_SERROR] = "SError interrupt",
	[MV_CRASH_SERVER] = "window server stopped",
};

static struct fault_record *record_of(const struct vcpu *v)
{
	return &records[v->vm->id][v->id];
}

static bool overlaps(uint64_t a, uint64_t asize, uint64_t b, uint64_t bsize)
{
	return a < b + bsize && b < a + asize;
}

int fault_create_all(const struct system *sys)
{
	for (unsigned i = 0; i < sys->nfaults; i++) {
		const struct fault_desc *d = &sys->fault[i];
		struct fault_port *p = &ports[i];
		struct vm *client = &vms[d->client];

		p->desc = d;
		p->client = client;
		p->server = &vms[d->server];
		p->end.vm = p->server;
		for (unsigned k = 0; k < client->ndevices && !d->supervisor; k++) {
			if (overlaps(d->base, d->size, client->device[k].reg.base, client->device[k].reg.size)) {
				printk("system: error: /domains/%s/%s: overlaps the registers of device %s\n",
				       client->name, d->name, client->desc->devices[k]);
				return MV_ERR_INVAL;
			}
			/* A level the server sets on a hardware-linked interrupt
			 * would have the guest deactivate the physical one. */
			for (unsigned q = 0; q < client->device[k].nirqs && d->spi; q++) {
				if (client->device[k].intid[q] == 32 + d->spi) {
					printk("system: error: /domains/%s/%s: interrupt: SPI %u is its device %s's interrupt\n",
					       client->name, d->name, d->spi, client->desc->devices[k]);
					return MV_ERR_INVAL;
				}
			}
		}
		if (cap_install(&p->server->cspace, d->server_slot, CAP_FAULT, MV_RIGHT_RECV,
				d->badge, p)) {
			printk("system: error: /domains/%s/%s: slot %u of %s is taken twice\n",
			       client->name, d->name, d->server_slot, p->server->name);
			return MV_ERR_INVAL;
		}
		if (d->supervisor) {
			supervisor[client->id] = p;
			printk("system: %s: supervisor %s, slot %u\n", client->name, p->server->name,
			       d->server_slot);
		} else {
			windows[client->id][nwindows[client->id]++] = p;
			printk("system: %s: window %s 0x%lx-0x%lx served by %s, slot %u\n", client->name,
			       d->name, d->base, d->base + d->size - 1, p->server->name, d->server_slot);
		}
	}
	return MV_OK;
}

/* The first fault waiting on p to be received: encoded into x, marked
 * delivered.  False if there is none. */
static bool take_pending(struct fault_port *p, uint64_t *x)
{
	struct vm *client = p->client;
	bool found = false;

	if (__atomic_load_n(&client->stopped, __ATOMIC_RELAXED))
		return false;
	spin_lock(&p->lock);
	for (unsigned i = 0; i < client->nvcpus; i++) {
		struct fault_record *r = &records[client->id][i];

		if (r->port == p && r->state == FAULT_PENDING) {
			fault_msg_encode(r, p->desc->badge, i, x);
			r->state = FAULT_DELIVERED;
			found = true;
			break;
		}
	}
	spin_unlock(&p->lock);
	return found;
}

/*
 * A fault waits on p: tell its server.  A server vCPU blocked receiving on
 * p, and already off its CPU, gets the message straight into its saved
 * registers (one exit fewer on the way there); otherwise the server is
 * woken as for a channel and receives it itself.
 */
static void notify(struct fault_port *p)
{
	struct vm *srv = p->server;

	spin_lock(&srv->lock);
	for (unsigned i = 0; i < srv->nvcpus; i++) {
		struct vcpu *w = &srv->vcpu[i];
		uint64_t *x;

		if (!w->waiting || w->state != VCPU_BLOCKED || w->wait_port != p ||
		    __atomic_load_n(&w->running, __ATOMIC_ACQUIRE))
			continue;
		x = arch_vcpu_saved_args(w);
		if (!take_pending(p, x))
			break;
		x[0] = MV_OK;
		w->waiting = false;
		w->wait_port = NULL;
		sched_wake(w);
		spin_unlock(&srv->lock);
		return;
	}
	spin_unlock(&srv->lock);
	channel_notify(&p->end);
}

/* v's record, filled in, goes on p (v waits already). */
static void publish(struct vcpu *v, struct fault_port *p)
{
	struct fault_record *dst = record_of(v);

	spin_lock(&p->lock);
	dst->port = p;
	dst->state = FAULT_PENDING;
	spin_unlock(&p->lock);
	notify(p);
}

/* Put r on p (v waits already). */
static void post(struct vcpu *v, struct fault_port *p, const struct fault_record *r)
{
	struct fault_record *dst = record_of(v);

	spin_lock(&p->lock);
	*dst = *r;
	spin_unlock(&p->lock);
	publish(v, p);
}

/* v stops running until its fault is answered.  False if it may not run
 * anyway (its VM stopped meanwhile). */
static bool block_for_reply(struct vcpu *v)
{
	struct vm *vm = v->vm;
	bool ok;

	spin_lock(&vm->lock);
	ok = v->state == VCPU_RUNNABLE && !vm->stopped;
	if (ok)
		v->state = VCPU_WAITING_REPLY;
	spin_unlock(&vm->lock);
	if (ok)
		fault_client_idle(vm);
	return ok;
}

static bool server_gone(const struct fault_port *p)
{
	return __atomic_load_n(&p->server->stopped, __ATOMIC_ACQUIRE) &&
	       !__atomic_load_n(&p->server->reset_requested, __ATOMIC_ACQUIRE);
}

/* Report v's crash to its supervisor; v already waits.  False if it has
 * none (or it has stopped). */
static bool report(struct vcpu *v, const struct fault_record *r)
{
	struct fault_port *sup = supervisor[v->vm->id];

	if (!sup || server_gone(sup))
		return false;
	printk("%s: vcpu%u: crash reported to %s\n", v->vm->name, v->id, sup->server->name);
	post(v, sup, r);
	return true;
}

static void crash_record(struct fault_record *r, unsigned reason, uint64_t pc, uint64_t syndrome,
			 uint64_t far)
{
	memset(r, 0, sizeof(*r));
	r->info = MV_FAULT_CRASH | (uint64_t)reason << 16;
	r->addr = pc;
	r->value = syndrome;
	r->where = far;
	r->pc = pc;
}

/* An access whose window lost its server: a crash that the supervisor
 * may also answer with an external abort on the access. */
static void server_crash_record(struct fault_record *r, const struct fault_record *access)
{
	crash_record(r, MV_CRASH_SERVER, access->pc, access->syndrome, access->where);
	r->syndrome = access->syndrome;
	r->va = access->va;
}

static struct fault_port *window_at(unsigned id, uint64_t ipa)
{
	for (unsigned i = 0; i < nwindows[id]; i++) {
		const struct fault_desc *d = windows[id][i]->desc;

		if (ipa - d->base < d->size)
			return windows[id][i];
	}
	return NULL;
}

/* The window's line follows its page's line word (MV_WINDOW_CLEAR): the
 * word changed and read under the client's lock, so that the last to
 * change it sets the level. */
static void window_line_follow(struct fault_port *p, uint32_t set, uint32_t clear)
{
	struct vm *client = p->client;

	spin_lock(&client->lock);
	vm_kick_mask(client, vgic_set_level(&client->vgic, 0, 32 + p->desc->spi,
					    window_line(&p->post, set, clear)));
	spin_unlock(&client->lock);
}

enum window_result fault_window_fast(struct vcpu *v, uint64_t ipa, unsigned size, bool write,
				     uint64_t *value, struct fault_port **port)
{
	struct fault_port *p = window_at(v->vm->id, ipa);
	enum window_result r;

	*port = p;
	/* No page: every access is a fault.  A server stopped or restarting:
	 * the access waits, or is refused. */
	if (!p || !__atomic_load_n(&p->post.pg, __ATOMIC_RELAXED) ||
	    __atomic_load_n(&p->server->stopped, __ATOMIC_ACQUIRE))
		return WINDOW_SLOW;
	r = window_access(&p->post, v->id, ipa - p->desc->base, size, write, value);
	if (r == WINDOW_DONE_LOWER) {
		if (p->desc->spi)
			window_line_follow(p, 0, 0);
		return WINDOW_DONE;
	}
	if (r == WINDOW_DONE_WAKE)
		domain_notify(p->server, 0);
	else if (r == WINDOW_DONE && write && !__atomic_load_n(&v->vm->posted, __ATOMIC_RELAXED))
		__atomic_store_n(&v->vm->posted, true, __ATOMIC_RELAXED);
	return r;
}

void fault_client_idle_windows(struct vm *vm)
{
	__atomic_store_n(&vm->posted, false, __ATOMIC_RELAXED);
	for (unsigned i = 0; i < nwindows[vm->id]; i++)
		if (window_client_idle(&windows[vm->id][i]->post))
			domain_notify(windows[vm->id][i]->server, 0);
}

void fault_client_reset(struct vm *vm)
{
	for (unsigned i = 0; i < nwindows[vm->id]; i++)
		window_client_reset(&windows[vm->id][i]->post);
}

/* A window's port from a server's slot. */
static int window_port(struct vm *vm, uint64_t slot, struct fault_port **p)
{
	const struct cap *c;
	int rc = cap_lookup(&vm->cspace, slot, CAP_FAULT, MV_RIGHT_RECV, &c);

	if (rc)
		return rc;
	*p = c->object;
	return (*p)->desc->supervisor ? MV_ERR_INVAL : MV_OK;
}

int64_t fault_hc_window_attach(struct vcpu *v, uint64_t *x)
{
	const struct vm_desc *d = v->vm->desc;
	struct fault_port *p;
	uint64_t ipa = x[2], size = x[3];
	int rc = window_port(v->vm, x[1], &p);

	if (rc)
		return rc;
	/* Inside the server's own RAM, whole: the kernel writes there. */
	if (size < sizeof(struct mv_window_page) || !IS_ALIGNED(ipa, 8) || ipa < d->mem_base ||
	    size > d->mem_size || ipa - d->mem_base > d->mem_size - size)
		return MV_ERR_INVAL;
	window_attach(&p->post, (struct mv_window_page *)(uintptr_t)(v->vm->ram + (ipa - d->mem_base)));
	return MV_OK;
}

int64_t fault_hc_window_irq(struct vcpu *v, uint64_t *x)
{
	struct fault_port *p;
	struct vm *client;
	int rc = window_port(v->vm, x[1], &p);

	if (rc)
		return rc;
	if (!p->desc->spi || x[2] > MV_WINDOW_LINE_FOLLOW)
		return MV_ERR_INVAL;
	if (x[2] == MV_WINDOW_LINE_FOLLOW) {
		if (!__atomic_load_n(&p->post.pg, __ATOMIC_ACQUIRE))
			return MV_ERR_INVAL;
		window_line_follow(p, (uint32_t)x[3], (uint32_t)x[4]);
		return MV_OK;
	}
	client = p->client;
	spin_lock(&client->lock);
	vm_kick_mask(client, vgic_set_level(&client->vgic, 0, 32 + p->desc->spi, x[2]));
	spin_unlock(&client->lock);
	return MV_OK;
}

void fault_server_reset(const struct vm *vm)
{
	for (unsigned i = 0; i < MV_MAX_FAULT_DESCS; i++)
		if (ports[i].server == vm)
			window_detach(&ports[i].post);
}

enum fault_result fault_window_access(struct vcpu *v, uint64_t ipa, unsigned size, bool write,
				      uint64_t value, uint64_t syndrome, uint64_t va, uint64_t pc)
{
	unsigned id = v->vm->id;
	struct fault_port *p = window_at(id, ipa);
	struct fault_record *r;

	if (!p)
		return FAULT_NO_WINDOW;
	/* v's own record, unpublished (no fault of v is outstanding while
	 * it runs): readers look at it only once it is on the port. */
	r = record_of(v);
	r->info = (write ? MV_FAULT_WRITE : MV_FAULT_READ) | (uint64_t)size << 8;
	r->addr = ipa - p->desc->base;
	r->value = write ? fault_narrow(value, size) : 0;
	r->where = ipa;
	r->syndrome = syndrome;
	r->va = va;
	r->pc = pc;
	if (server_gone(p)) {
		struct fault_record crash;

		if (vm_log_once(v->vm, VM_LOG_WINDOW_GONE))
			printk("%s: vcpu%u: %s at 0x%lx: window %s has no server (%s stopped)\n",
			       v->vm->name, v->id, write ? "write" : "read", ipa, p->desc->name,
			       p->server->name);
		if (!supervisor[id] || server_gone(supervisor[id]))
			return FAULT_REFUSED;
		server_crash_record(&crash, r);
		if (block_for_reply(v) && !report(v, &crash))
			vm_stop(v->vm, "crashed");	/* its supervisor stopped just now */
		return FAULT_FORWARDED;
	}
	if (block_for_reply(v))
		publish(v, p);
	return FAULT_FORWARDED;
}

void fault_crash(struct vcpu *v, unsigned reason, uint64_t pc, uint64_t syndrome, uint64_t far)
{
	struct fault_record r;

	printk("%s: vcpu%u: crashed: %s (PC 0x%lx, syndrome 0x%lx, address 0x%lx)\n", v->vm->name,
	       v->id, crash_reasons[reason], pc, syndrome, far);
	crash_record(&r, reason, pc, syndrome, far);
	if (!block_for_reply(v))
		return;
	if (!report(v, &r))
		vm_stop(v->vm, "crashed");
}

/* Receive on p for v: MV_OK with the message in x, or MV_ERR_EMPTY after
 * blocking (block) or not. */
static int64_t receive(struct vcpu *v, struct fault_port *p, bool block, uint64_t *x)
{
	if (take_pending(p, x))
		return MV_OK;
	x[1] = x[2] = x[3] = x[4] = x[5] = x[6] = x[7] = 0;	/* no message */
	/* A fault that came since the look above has left the notification
	 * flag set: the wait returns at once and the caller looks again. */
	if (block)
		hypercall_wait(v, p);
	return MV_ERR_EMPTY;
}

int64_t fault_hc_recv(struct vcpu *v, uint64_t *x)
{
	const struct cap *c;
	int rc = cap_lookup(&v->vm->cspace, x[1], CAP_FAULT, MV_RIGHT_RECV, &c);

	if (rc)
		return rc;
	if (x[2] & ~(uint64_t)MV_FAULT_RECV_BLOCK)
		return MV_ERR_INVAL;
	return receive(v, c->object, x[2] & MV_FAULT_RECV_BLOCK, x);
}

/* Wait until t is off its CPU: it is not runnable, so its CPU is on its
 * way out of it (a bounded path that takes no lock held here). */
static void wait_unloaded(const struct vcpu *t)
{
	while (__atomic_load_n(&t->running, __ATOMIC_ACQUIRE))
		;
}

/* Carry out the answer to r, a fault of t, from server. */
static void answer(struct vcpu *t, const struct fault_record *r, unsigned action, uint64_t value,
		   const char *server)
{
	struct vm *vm = t->vm;

	if (action == MV_FAULT_STOP || action == MV_FAULT_RESET) {
		char why[48];

		snprintf(why, sizeof(why), "by %s", server);
		if (action == MV_FAULT_STOP)
			vm_stop(vm, why);
		else
			vm_request_reset(vm, why);
		return;
	}
	wait_unloaded(t);
	spin_lock(&vm->lock);
	if (t->state == VCPU_WAITING_REPLY && !vm->stopped) {
		if (action == MV_FAULT_ABORT)
			arch_vcpu_abort_access(t, r->va);
		else if (MV_FAULT_KIND(r->info) != MV_FAULT_CRASH)
			arch_vcpu_finish_access(t, r->syndrome, value);
		/* A crash resumed as it is runs into it again. */
		sched_wake(t);
	}
	spin_unlock(&vm->lock);
}

int64_t fault_hc_reply(struct vcpu *v, uint64_t *x)
{
	const struct cap *c;
	struct fault_port *p;
	struct fault_record *r, taken;
	unsigned action = x[3] & MV_FAULT_ACTION_MASK;
	int rc = cap_lookup(&v->vm->cspace, x[1], CAP_FAULT, MV_RIGHT_RECV, &c);

	if (rc)
		return rc;
	p = c->object;
	if ((rc = fault_reply_check(x[3], x[2], p->client->nvcpus)))
		return rc;
	r = &records[p->client->id][x[2]];
	spin_lock(&p->lock);
	if (r->port != p || r->state != FAULT_DELIVERED ||
	    (action == MV_FAULT_ABORT && MV_FAULT_KIND(r->info) == MV_FAULT_CRASH &&
	     MV_FAULT_REASON(r->info) != MV_CRASH_SERVER)) {
		rc = r->port == p && r->state == FAULT_DELIVERED ? MV_ERR_INVAL : MV_ERR_NOT_WAITING;
		spin_unlock(&p->lock);
		return rc;
	}
	/* What answer() needs: the client may fault again once answered. */
	taken = (struct fault_record){ .info = r->info, .syndrome = r->syndrome, .va = r->va };
	r->port = NULL;
	r->state = FAULT_NONE;
	spin_unlock(&p->lock);
	answer(&p->client->vcpu[x[2]], &taken, action, x[4], v->vm->name);
	if (x[3] & MV_FAULT_THEN_RECV)
		return receive(v, p, true, x);
	return MV_OK;
}

/* No fault of p's client other than except's waits on p (so a receive on
 * p would find nothing).  Caller holds p->lock. */
static bool none_pending(const struct fault_port *p, const struct fault_record *except)
{
	const struct vm *client = p->client;

	for (unsigned i = 0; i < client->nvcpus; i++) {
		const struct fault_record *r = &records[client->id][i];

		if (r != except && r->port == p && r->state == FAULT_PENDING)
			return false;
	}
	return true;
}

/*
 * The fastpaths of the two halves of a forwarded fault, for a client and a
 * server on the same CPU: each is its general path's whole effect (the
 * access forwarded and received, or answered and the next receive
 * waiting) in one step under the client's and the server's VM locks (in
 * address order) and the port's, ending with sched_handoff's direct
 * switch, instead of one lock section per helper, a run-queue insertion
 * and removal and the scheduler's pass.  Each returns the vCPU now
 * running in cur's place, or NULL having changed nothing (but cur's own
 * unpublished record): the caller takes the general path.  The caller has
 * saved cur's registers (the decision marks it no longer running).
 */

/* cur's access (as for fault_window_access; info its MV_FAULT_READ or
 * MV_FAULT_WRITE and size as a message gives them) to p's window, whose
 * server waits on p, off its CPU, on cur's CPU, and runs next. */
struct vcpu *fault_forward_fast(struct vcpu *cur, struct fault_port *p, uint64_t ipa,
				uint64_t info, uint64_t value, uint64_t syndrome, uint64_t va,
				uint64_t pc, uint64_t *next_event_at)
{
	struct vm *a = cur->vm, *b = p->server;
	struct fault_record *r = record_of(cur);
	struct vcpu *w = NULL;
	uint64_t *wx;

	for (unsigned i = 0; i < b->nvcpus; i++) {
		struct vcpu *c = &b->vcpu[i];

		if (c->pcpu == cur->pcpu && __atomic_load_n(&c->wait_port, __ATOMIC_RELAXED) == p) {
			w = c;
			break;
		}
	}
	if (!w || b == a)
		return NULL;
	/* cur's own record, unpublished (see fault_window_access). */
	r->info = info;
	r->addr = ipa - p->desc->base;
	r->value = MV_FAULT_KIND(info) == MV_FAULT_WRITE ? fault_narrow(value, MV_FAULT_SIZE(info)) : 0;
	r->where = ipa;
	r->syndrome = syndrome;
	r->va = va;
	r->pc = pc;
	spin_lock_pair(&a->lock, &b->lock);
	spin_lock(&p->lock);
	if (cur->state != VCPU_RUNNABLE || a->stopped || b->stopped ||
	    !w->waiting || w->state != VCPU_BLOCKED || w->wait_port != p ||
	    __atomic_load_n(&w->running, __ATOMIC_ACQUIRE) || !none_pending(p, r))
		goto refused;
	cur->state = VCPU_WAITING_REPLY;	/* block_for_reply */
	if (!sched_handoff(cur->pcpu, cur, w, next_event_at)) {
		cur->state = VCPU_RUNNABLE;
		goto refused;
	}
	/* post, notify and take_pending: straight into w's registers. */
	r->port = p;
	r->state = FAULT_DELIVERED;
	wx = arch_vcpu_saved_args(w);
	wx[0] = MV_OK;
	fault_msg_encode(r, p->desc->badge, cur->id, wx);
	w->waiting = false;
	w->wait_port = NULL;
	spin_unlock(&p->lock);
	spin_unlock_pair(&a->lock, &b->lock);
	fault_client_idle(a);
	return w;
refused:
	spin_unlock(&p->lock);
	spin_unlock_pair(&a->lock, &b->lock);
	return NULL;
}

/* MV_HC_FAULT_REPLY resuming (or aborting the access of) a client on the
 * server's CPU, with MV_FAULT_THEN_RECV and no other fault waiting: the
 * client runs next, the server waits on the port. */
struct vcpu *fault_reply_recv_fast(struct vcpu *cur, uint64_t *x, uint64_t *next_event_at)
{
	const struct cap *c;
	struct fault_port *p;
	struct fault_record *r;
	struct vcpu *t;
	struct vm *a, *b = cur->vm;
	unsigned action = x[3] & MV_FAULT_ACTION_MASK;

	/* cap_lookup's and fault_reply_check's conditions, inline. */
	if (x[1] >= MV_CSPACE_SLOTS ||
	    x[3] & ~(uint64_t)(MV_FAULT_ACTION_MASK | MV_FAULT_THEN_RECV) ||
	    !(x[3] & MV_FAULT_THEN_RECV) || (action != MV_FAULT_RESUME && action != MV_FAULT_ABORT))
		return NULL;
	c = &b->cspace.slot[x[1]];
	if (c->type != CAP_FAULT || !(c->rights & MV_RIGHT_RECV))
		return NULL;
	p = c->object;
	a = p->client;
	if (x[2] >= a->nvcpus || a == b)
		return NULL;
	t = &a->vcpu[x[2]];
	r = &records[a->id][x[2]];
	if (t->pcpu != cur->pcpu)
		return NULL;
	spin_lock_pair(&a->lock, &b->lock);
	spin_lock(&p->lock);
	if (r->port != p || r->state != FAULT_DELIVERED ||
	    (action == MV_FAULT_ABORT && MV_FAULT_KIND(r->info) == MV_FAULT_CRASH &&
	     MV_FAULT_REASON(r->info) != MV_CRASH_SERVER) ||
	    t->state != VCPU_WAITING_REPLY || a->stopped ||
	    __atomic_load_n(&t->running, __ATOMIC_ACQUIRE) ||
	    cur->state != VCPU_RUNNABLE || b->stopped || b->notified || !none_pending(p, r))
		goto refused;
	cur->state = VCPU_BLOCKED;	/* hypercall_wait */
	if (!sched_handoff(cur->pcpu, cur, t, next_event_at)) {
		cur->state = VCPU_RUNNABLE;
		goto refused;
	}
	/* The answer (fault_hc_reply, answer). */
	r->port = NULL;
	r->state = FAULT_NONE;
	if (action == MV_FAULT_ABORT)
		arch_vcpu_abort_access(t, r->va);
	else if (MV_FAULT_KIND(r->info) != MV_FAULT_CRASH)
		arch_vcpu_finish_access(t, r->syndrome, x[4]);
	/* The receive finding nothing, waiting (receive, hypercall_wait);
	 * written before the server's lock is dropped: from then on a fault
	 * may be written straight into these registers (notify). */
	x[0] = (uint64_t)MV_ERR_EMPTY;
	x[1] = x[2] = x[3] = x[4] = x[5] = x[6] = x[7] = 0;
	cur->timer_deadline = 0;
	cur->waiting = true;
	cur->wait_port = p;
	spin_unlock(&p->lock);
	spin_unlock_pair(&a->lock, &b->lock);
	fault_client_idle(b);
	return t;
refused:
	spin_unlock(&p->lock);
	spin_unlock_pair(&a->lock, &b->lock);
	return NULL;
}

void fault_vm_reset(struct vm *vm)
{
	for (unsigned i = 0; i < vm->nvcpus; i++) {
		struct fault_record *r = &records[vm->id][i];
		struct fault_port *p = r->port;

		if (!p)
			continue;
		spin_lock(&p->lock);
		memset(r, 0, sizeof(*r));
		spin_unlock(&p->lock);
	}
}

/* A fault of t on p that its server will never answer now. */
static void orphaned(struct vcpu *t, struct fault_port *p, const struct fault_record *r)
{
	struct fault_record crash;

	printk("%s: vcpu%u: %s stopped before answering its fault\n", t->vm->name, t->id,
	       p->server->name);
	if (p->desc->supervisor) {
		vm_stop(t->vm, "its supervisor stopped");
		return;
	}
	server_crash_record(&crash, r);
	if (report(t, &crash))
		return;
	/* No supervisor: the access ends as on a missing device. */
	answer(t, r, MV_FAULT_ABORT, 0, p->server->name);
}

void fault_server_stopped(const struct vm *vm)
{
	fault_server_reset(vm);
	for (unsigned i = 0; i < MV_MAX_FAULT_DESCS; i++) {
		struct fault_port *p = &ports[i];

		if (p->server != vm)
			continue;
		for (unsigned k = 0; k < p->client->nvcpus; k++) {
			struct fault_record *r = &records[p->client->id][k], taken;

			spin_lock(&p->lock);
			if (r->port != p || r->state == FAULT_NONE) {
				spin_unlock(&p->lock);
				continue;
			}
			taken = *r;
			memset(r, 0, sizeof(*r));
			spin_unlock(&p->lock);
			orphaned(&p->client->vcpu[k], p, &taken);
		}
	}
}
