/* SPDX-License-Identifier: MIT */
/*
 * vcpu capabilities: a cell that holds one can suspend, inspect, change
 * and resume a vCPU of another domain (docs/abi.md, "Spaces and vCPUs").
 * The argument checks build on the host (vcpu_args.c); the calls are in
 * vcpu_cap.c.
 */
#ifndef MV_VCPU_CAP_H
#define MV_VCPU_CAP_H

#include <abi/microvisor.h>
#include <mv/vm.h>

/* MV_HC_VCPU_CONTROL's operation (x2): the right it needs, 0 if unknown. */
uint32_t vcpu_control_right(uint64_t op);

/* MV_HC_VCPU_REGS's operation, first register and count (x2-x4): the
 * right it needs, 0 if malformed (an unknown operation, a count out of
 * range, registers past the last one, or, writing, past the last
 * writable one). */
uint32_t vcpu_regs_right(uint64_t op, uint64_t first, uint64_t count);

/* MV_HC_VCPU_CONTROL's status (MV_VCPU_* flags). */
uint64_t vcpu_status(enum vcpu_state state, bool suspended);

/* The hypercalls of self; x is its x0-x7, results go back into it. */
int64_t vcpu_hc_control(struct vcpu *self, uint64_t *x);
int64_t vcpu_hc_regs(struct vcpu *self, uint64_t *x);

#endif
