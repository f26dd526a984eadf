// SPDX-License-Identifier: MIT
/*
 * The decisions of the vcpu calls that build on the host: which right
 * each operation needs and which arguments are malformed
 * (microvisor/vcpu_args.c), the status word, and the register numbering
 * and what a write may put in PSTATE (arch/aarch64/vcpu_regs.c): nothing
 * that would let a vCPU return to EL2 or to AArch32.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <mv/vcpu_cap.h>
#include <mv/vmm.h>

static void test_control_rights(void **state)
{
	(void)state;
	assert_int_equal(vcpu_control_right(MV_VCPU_STATUS), MV_RIGHT_READ);
	assert_int_equal(vcpu_control_right(MV_VCPU_SUSPEND), MV_RIGHT_CONTROL);
	assert_int_equal(vcpu_control_right(MV_VCPU_RESUME), MV_RIGHT_CONTROL);
	assert_int_equal(vcpu_control_right(3), 0);
	assert_int_equal(vcpu_control_right(1ULL << 32 | MV_VCPU_SUSPEND), 0);
}

static void test_regs_rights(void **state)
{
	(void)state;
	/* Reads: 1 to 7 registers, all of them below MV_VCPU_NREGS. */
	assert_int_equal(vcpu_regs_right(MV_VCPU_READ, 0, 7), MV_RIGHT_READ);
	assert_int_equal(vcpu_regs_right(MV_VCPU_READ, MV_VCPU_NREGS - 1, 1), MV_RIGHT_READ);
	assert_int_equal(vcpu_regs_right(MV_VCPU_READ, MV_VCPU_NREGS - 7, 7), MV_RIGHT_READ);
	assert_int_equal(vcpu_regs_right(MV_VCPU_READ, MV_VCPU_NREGS - 6, 7), 0);
	assert_int_equal(vcpu_regs_right(MV_VCPU_READ, MV_VCPU_NREGS, 1), 0);
	assert_int_equal(vcpu_regs_right(MV_VCPU_READ, 0, 0), 0);
	assert_int_equal(vcpu_regs_right(MV_VCPU_READ, 0, 8), 0);
	assert_int_equal(vcpu_regs_right(MV_VCPU_READ, UINT64_MAX, 2), 0);	/* no wrap */
	/* Writes: 1 to 3, below MV_VCPU_NWRITABLE (x0-x30, SPs, PC, PSTATE). */
	assert_int_equal(vcpu_regs_right(MV_VCPU_WRITE, MV_VCPU_REG_PC, 2), MV_RIGHT_CONTROL);
	assert_int_equal(vcpu_regs_right(MV_VCPU_WRITE, MV_VCPU_REG_PSTATE, 1), MV_RIGHT_CONTROL);
	assert_int_equal(vcpu_regs_right(MV_VCPU_WRITE, MV_VCPU_REG_PSTATE, 2), 0);
	assert_int_equal(vcpu_regs_right(MV_VCPU_WRITE, MV_VCPU_REG_ESR_EL1, 1), 0);
	assert_int_equal(vcpu_regs_right(MV_VCPU_WRITE, 0, 4), 0);
	assert_int_equal(vcpu_regs_right(MV_VCPU_WRITE, 0, 0), 0);
	assert_int_equal(vcpu_regs_right(2, 0, 1), 0);
}

static void test_status(void **state)
{
	(void)state;
	assert_int_equal(vcpu_status(VCPU_OFF, false), 0);
	assert_int_equal(vcpu_status(VCPU_OFF, true), MV_VCPU_SUSPENDED);
	assert_int_equal(vcpu_status(VCPU_RUNNABLE, false), MV_VCPU_ON);
	assert_int_equal(vcpu_status(VCPU_BLOCKED, true),
			 MV_VCPU_SUSPENDED | MV_VCPU_ON | MV_VCPU_BLOCKED);
	assert_int_equal(vcpu_status(VCPU_WAITING_REPLY, false), MV_VCPU_ON | MV_VCPU_FAULTED);
}

static void test_pstate(void **state)
{
	(void)state;
	assert_true(arch_vcpu_pstate_ok(0x3c5));		/* EL1h, DAIF masked */
	assert_true(arch_vcpu_pstate_ok(0x4));			/* EL1t */
	assert_true(arch_vcpu_pstate_ok(0x0));			/* EL0t */
	assert_true(arch_vcpu_pstate_ok(0xf0000005UL | 1UL << 22 | 1UL << 12));	/* NZCV, PAN, SSBS */
	assert_false(arch_vcpu_pstate_ok(0x9));			/* EL2h */
	assert_false(arch_vcpu_pstate_ok(0x8));			/* EL2t */
	assert_false(arch_vcpu_pstate_ok(0xd));			/* EL3h */
	assert_false(arch_vcpu_pstate_ok(0x1));			/* EL0 with SP_EL1: no such mode */
	assert_false(arch_vcpu_pstate_ok(0x10));		/* AArch32 user */
	assert_false(arch_vcpu_pstate_ok(0x13));		/* AArch32 supervisor */
	assert_false(arch_vcpu_pstate_ok(0x5 | 1UL << 20));	/* IL: an illegal return */
	assert_false(arch_vcpu_pstate_ok(0x5 | 1UL << 21));	/* SS */
	assert_false(arch_vcpu_pstate_ok(0x5 | 1UL << 32));
}

static void test_registers(void **state)
{
	static struct vcpu v;
	uint64_t x = 0;

	(void)state;
	memset(&v, 0, sizeof(v));
	v.arch.regs.x[30] = 30;
	v.arch.regs.elr = 0x40001000;
	v.arch.regs.spsr = 0x3c5;
	v.arch.sys[SYS_SP_EL1] = 0x40100000;
	v.arch.sys[SYS_ESR_EL1] = 0x96000045;
	v.arch.sys[SYS_FAR_EL1] = 0xdead0000;
	v.arch.sys[SYS_TCR_EL1] = 0x1234;
	assert_int_equal(arch_vcpu_reg_read(&v, MV_VCPU_REG_X(30), &x), MV_OK);
	assert_int_equal(x, 30);
	assert_int_equal(arch_vcpu_reg_read(&v, MV_VCPU_REG_PC, &x), MV_OK);
	assert_int_equal(x, 0x40001000);
	assert_int_equal(arch_vcpu_reg_read(&v, MV_VCPU_REG_PSTATE, &x), MV_OK);
	assert_int_equal(x, 0x3c5);
	assert_int_equal(arch_vcpu_reg_read(&v, MV_VCPU_REG_SP_EL1, &x), MV_OK);
	assert_int_equal(x, 0x40100000);
	assert_int_equal(arch_vcpu_reg_read(&v, MV_VCPU_REG_ESR_EL1, &x), MV_OK);
	assert_int_equal(x, 0x96000045);
	assert_int_equal(arch_vcpu_reg_read(&v, MV_VCPU_REG_FAR_EL1, &x), MV_OK);
	assert_int_equal(x, 0xdead0000);
	assert_int_equal(arch_vcpu_reg_read(&v, MV_VCPU_REG_TCR_EL1, &x), MV_OK);
	assert_int_equal(x, 0x1234);
	assert_int_equal(arch_vcpu_reg_read(&v, MV_VCPU_NREGS, &x), MV_ERR_INVAL);

	assert_int_equal(arch_vcpu_reg_write(&v, MV_VCPU_REG_X(0), 7), MV_OK);
	assert_int_equal(v.arch.regs.x[0], 7);
	assert_int_equal(arch_vcpu_reg_write(&v, MV_VCPU_REG_PC, 0x40002000), MV_OK);
	assert_int_equal(v.arch.regs.elr, 0x40002000);
	assert_int_equal(arch_vcpu_reg_write(&v, MV_VCPU_REG_SP_EL0, 0x1000), MV_OK);
	assert_int_equal(v.arch.sys[SYS_SP_EL0], 0x1000);
	assert_int_equal(arch_vcpu_reg_write(&v, MV_VCPU_REG_PSTATE, 0x3c4), MV_OK);
	assert_int_equal(v.arch.regs.spsr, 0x3c4);
	assert_int_equal(arch_vcpu_reg_write(&v, MV_VCPU_REG_PSTATE, 0x3c9), MV_ERR_INVAL);
	assert_int_equal(v.arch.regs.spsr, 0x3c4);		/* unchanged */
	assert_int_equal(arch_vcpu_reg_write(&v, MV_VCPU_REG_ESR_EL1, 0), MV_ERR_INVAL);
	assert_int_equal(v.arch.sys[SYS_ESR_EL1], 0x96000045);
	assert_int_equal(arch_vcpu_reg_write(&v, MV_VCPU_REG_VBAR_EL1, 0), MV_ERR_INVAL);
	assert_int_equal(arch_vcpu_reg_write(&v, MV_VCPU_NREGS, 0), MV_ERR_INVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_control_rights),
		cmocka_unit_test(test_regs_rights),
		cmocka_unit_test(test_status),
		cmocka_unit_test(test_pstate),
		cmocka_unit_test(test_registers),
	};

	return cmocka_run_group_tests_name("vcpu_cap", tests, NULL, NULL);
}
