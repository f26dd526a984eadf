/* SPDX-License-Identifier: MIT */
/* VMs and their vCPUs. */
#ifndef MV_VM_H
#define MV_VM_H

#include <arch/vcpu.h>
#include <mv/cap.h>
#include <mv/channel.h>
#include <mv/platform.h>
#include <mv/spinlock.h>
#include <mv/types.h>
#include <mv/vm_desc.h>
#include <vgic.h>

enum vcpu_state {
	VCPU_OFF,		/* not started (PSCI CPU_ON brings it up) */
	VCPU_RUNNABLE,		/* on a run queue or running */
	VCPU_BLOCKED,		/* in WFI, nothing pending */
	VCPU_WAITING_REPLY,	/* a fault of it went to a cell (mv/fault.h): only its answer resumes it */
};

struct vm;

struct vcpu {
	struct vm *vm;
	unsigned id;			/* index in the VM */
	unsigned pcpu;			/* physical CPU it runs on */
	unsigned prio;			/* its domain's priority (vm_desc) */
	enum vcpu_state state;
	bool queued;			/* on pcpu's run queue */
	bool running;			/* loaded on pcpu */
	bool waiting;			/* blocked in MV_HC_WAIT */
	bool suspended;			/* by a vcpu capability (under the VM lock):
					 * not runnable, whatever its state */
	const void *wait_port;		/* ... or in MV_HC_FAULT_RECV on this port */
	struct channel_waiter recv_wait;	/* blocked in a receive (MV_RECV_BLOCK) */
	struct vcpu *next;		/* run queue link */
	uint64_t timer_deadline;	/* counter value of its armed vtimer, or 0 */
	struct vgic_lr lrs[VGIC_MAX_LRS];	/* what its list registers hold */
	bool vgic_dirty;		/* the vGIC may have news for it */
	unsigned nlrs;
	struct arch_vcpu arch;
};

struct vm {
	const struct vm_desc *desc;
	const char *name;
	unsigned id;			/* VMID - 1 */
	paddr_t ram;			/* host-physical base of guest RAM */
	uint64_t *s2_root;		/* stage-2 tables */
	uint64_t vttbr;
	paddr_t entry;			/* guest-physical entry point */
	paddr_t dtb_ipa;
	bool cell;			/* a native component: no virtual CPU interface */
	bool stopped;
	bool reset_requested;
	uint32_t restarts;		/* times reloaded from its images (MV_HC_SPACE_INFO) */
	struct spinlock lock;		/* vGIC, vCPU power state */
	unsigned nvcpus;
	struct vcpu vcpu[MV_MAX_VCPUS];
	struct cspace cspace;		/* its capabilities */
	bool notified;			/* a channel it receives on has work */
	bool posted;			/* it posted a window write no server was
					 * woken for (fault_client_idle) */
	unsigned ndevices;		/* host devices passed through */
	struct platform_device device[VM_MAX_DEVICES];
	struct vgic vgic;
	uint32_t logged;		/* one-shot log flags (VM_LOG_*) */
};

#define VM_LOG_ABORT		BIT(0)
#define VM_LOG_BAD_MMIO		BIT(1)
#define VM_LOG_UNKNOWN_CALL	BIT(2)
#define VM_LOG_UNKNOWN_TRAP	BIT(3)
#define VM_LOG_WINDOW_GONE	BIT(4)

extern struct vm vms[MV_MAX_VMS];
extern unsigned nvms;

#endif
