// SPDX-License-Identifier: MIT OR GPL-2.0
/*
 * mvchan: the Microvisor channel driver (docs/mvchan.md).
 *
 * Binds to the generated device tree's /hypervisor node
 * (compatible "microvisor,hypervisor", docs/abi.md "Guest device tree")
 * and makes each channel@<slot> child a misc character device,
 * /dev/mvchan-<label>:
 *
 *   send end     write() sends one message of 1 to 4 words (8 to 32
 *                bytes); a full queue blocks the writer (O_NONBLOCK:
 *                EAGAIN), nothing is lost or sent twice;
 *                MVCHAN_IOC_SIGNAL raises signal bits.
 *   receive end  read() returns one message (its words); blocks unless
 *                O_NONBLOCK (EAGAIN); MVCHAN_IOC_SIGNALS takes the signal
 *                word; MVCHAN_IOC_RECV returns a message with its badge.
 *
 * Hypercalls are SMCCC fast calls with HVC #0 (function ID in x0, arguments
 * x1-x7, results x0-x7): MV_HC_CHANNEL_SEND and, never blocking the vCPU,
 * MV_HC_CHANNEL_RECV.  A receive end with an `interrupts` property (the
 * channel's to-virq) is drained by its interrupt handler into a small
 * buffer; a send end's (its from-virq) says that a queue a send found full
 * has room.  Without one, waiters look again every jiffy.
 */
#define pr_fmt(fmt) "mvchan: " fmt

#include <linux/device.h>
#include <linux/fs.h>
#include <linux/interrupt.h>
#include <linux/jiffies.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/of.h>
#include <linux/of_irq.h>
#include <linux/platform_device.h>
#include <linux/poll.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/timer.h>
#include <linux/uaccess.h>
#include <linux/wait.h>

#include <abi/microvisor.h>	/* the ABI's constants, shared with the microvisor */
#include "mvchan.h"

#define MVCHAN_BUF	16	/* messages a receive end holds in the guest */

static_assert(MVCHAN_MAX_WORDS == MV_CHANNEL_WORDS);

struct mvchan {
	struct miscdevice misc;
	char name[8 + MVCHAN_NAME_MAX];		/* mvchan-<label> */
	char label[MVCHAN_NAME_MAX];
	char peer[MVCHAN_NAME_MAX];
	u32 slot;
	bool send;				/* a send end, else a receive end */
	int irq;				/* to-virq (receive), from-virq (send); 0: polled */
	wait_queue_head_t wq;			/* readers, writers, pollers */
	struct timer_list retry;		/* wakes wq a jiffy on (no interrupt says so) */
	unsigned long room_seq;			/* send: from-virq interrupts taken */
	spinlock_t lock;			/* what follows */
	bool full;				/* send: the last send found the queue full */
	unsigned long full_seq;			/* send: room_seq before that send */
	u64 signals;				/* receive: bits taken from the microvisor */
	unsigned int head, count;		/* receive: buf[] */
	struct mvchan_msg buf[MVCHAN_BUF];
};

struct mvchan_dev {
	unsigned int n;
	struct mvchan *chan[];
};

/* One hypercall: x[0] function ID, x[1..7] arguments; results back in
 * x[].  The microvisor preserves x8-x30 (docs/abi.md). */
static void mv_hvc(u64 x[8])
{
	asm volatile("ldp x0, x1, [%0]\n\t"
		     "ldp x2, x3, [%0, #16]\n\t"
		     "ldp x4, x5, [%0, #32]\n\t"
		     "ldp x6, x7, [%0, #48]\n\t"
		     "hvc #0\n\t"
		     "stp x0, x1, [%0]\n\t"
		     "stp x2, x3, [%0, #16]\n\t"
		     "stp x4, x5, [%0, #32]\n\t"
		     "stp x6, x7, [%0, #48]"
		     : : "r"(x)
		     : "x0", "x1", "x2", "x3", "x4", "x5", "x6", "x7", "memory");
}

static long mv_send(struct mvchan *c, u64 signals, unsigned int nwords, const u64 *words)
{
	u64 x[8] = { MV_HC_CHANNEL_SEND, c->slot, signals, nwords };

	if (nwords)
		memcpy(&x[4], words, nwords * sizeof(u64));
	mv_hvc(x);
	return (long)x[0];
}

/*
 * Receive end, c->lock held: take from the microvisor what fits, the
 * signal bits always, messages while buf[] has room.  A receive with a
 * message takes it, so none is asked for without room for it.
 */
static void fill_locked(struct mvchan *c)
{
	while (c->count < MVCHAN_BUF) {
		u64 x[8] = { MV_HC_CHANNEL_RECV, c->slot, 0 };
		struct mvchan_msg *m;
		long rc;

		mv_hvc(x);
		rc = (long)x[0];
		if (rc != MV_OK) {
			if (rc != MV_ERR_EMPTY)
				pr_warn_ratelimited("%s: receive on slot %u failed: %ld\n",
						    c->name, c->slot, rc);
			return;
		}
		c->signals |= x[2];
		if (!x[3])
			return;		/* signals only: no message was queued */
		m = &c->buf[(c->head + c->count) % MVCHAN_BUF];
		m->badge = x[1];
		m->nwords = (u32)min_t(u64, x[3], MVCHAN_MAX_WORDS);
		m->reserved = 0;
		memcpy(m->word, &x[4], sizeof(m->word));
		c->count++;
	}
}

static bool readable(struct mvchan *c)
{
	unsigned long flags;
	bool r;

	spin_lock_irqsave(&c->lock, flags);
	fill_locked(c);
	r = c->count > 0;
	spin_unlock_irqrestore(&c->lock, flags);
	return r;
}

/* Without an interrupt to wake them, waiters look again a jiffy later. */
static long wait_jiffies(struct mvchan *c)
{
	return c->irq ? MAX_SCHEDULE_TIMEOUT : 1;
}

/* Send end: the queue may have room (a from-virq came since the send that
 * found it full, or, without one, nothing says otherwise). */
static bool maybe_room(struct mvchan *c)
{
	return !READ_ONCE(c->full) || (c->irq && READ_ONCE(c->room_seq) != READ_ONCE(c->full_seq));
}

/* Receive end: the next message, no longer than max_bytes (EMSGSIZE, and
 * it stays queued, if it is). */
static int take_msg(struct mvchan *c, struct mvchan_msg *m, bool nonblock, size_t max_bytes)
{
	for (;;) {
		unsigned long flags;
		long w;

		spin_lock_irqsave(&c->lock, flags);
		fill_locked(c);
		if (c->count) {
			*m = c->buf[c->head];
			if (m->nwords * 8UL > max_bytes) {
				spin_unlock_irqrestore(&c->lock, flags);
				return -EMSGSIZE;
			}
			c->head = (c->head + 1) % MVCHAN_BUF;
			c->count--;
			fill_locked(c);
			spin_unlock_irqrestore(&c->lock, flags);
			return 0;
		}
		spin_unlock_irqrestore(&c->lock, flags);
		if (nonblock)
			return -EAGAIN;
		w = wait_event_interruptible_timeout(c->wq, readable(c), wait_jiffies(c));
		if (w < 0)
			return -ERESTARTSYS;
	}
}

/* Send end: one message (or signals alone, nwords 0). */
static int send_msg(struct mvchan *c, u64 signals, unsigned int nwords, const u64 *words,
		    bool nonblock)
{
	for (;;) {
		/* The from-virq is raised by the first take after a send found
		 * the queue full: one counted from here on is for this send. */
		unsigned long seq = READ_ONCE(c->room_seq);
		long rc;

		smp_rmb();
		rc = mv_send(c, signals, nwords, words);
		if (rc == MV_OK) {
			WRITE_ONCE(c->full, false);
			return 0;
		}
		if (rc != MV_ERR_FULL) {
			pr_warn_ratelimited("%s: send on slot %u failed: %ld\n", c->name, c->slot, rc);
			return -EIO;
		}
		WRITE_ONCE(c->full_seq, seq);
		WRITE_ONCE(c->full, true);
		if (nonblock)
			return -EAGAIN;
		if (wait_event_interruptible_timeout(c->wq, READ_ONCE(c->room_seq) != seq,
						     wait_jiffies(c)) < 0)
			return -ERESTARTSYS;
	}
}

static void retry_timer(struct timer_list *t)
{
	struct mvchan *c = from_timer(c, t, retry);

	if (c->send)
		WRITE_ONCE(c->full, false);	/* polled: worth another try */
	wake_up_interruptible(&c->wq);
}

static struct mvchan *file_chan(struct file *f)
{
	return container_of(f->private_data, struct mvchan, misc);
}

static int mvchan_open(struct inode *inode, struct file *f)
{
	struct mvchan *c = file_chan(f);

	/* A send end is written, a receive end read: the other mode is refused. */
	if ((f->f_mode & FMODE_READ) && c->send)
		return -EACCES;
	if ((f->f_mode & FMODE_WRITE) && !c->send)
		return -EACCES;
	return nonseekable_open(inode, f);
}

static ssize_t mvchan_read(struct file *f, char __user *buf, size_t len, loff_t *off)
{
	struct mvchan *c = file_chan(f);
	struct mvchan_msg m;
	int err;

	if (c->send)
		return -EPERM;
	err = take_msg(c, &m, f->f_flags & O_NONBLOCK, len);
	if (err)
		return err;
	if (copy_to_user(buf, m.word, m.nwords * 8UL))
		return -EFAULT;	/* the message is gone: as read() into bad memory */
	return m.nwords * 8L;
}

static ssize_t mvchan_write(struct file *f, const char __user *buf, size_t len, loff_t *off)
{
	struct mvchan *c = file_chan(f);
	u64 words[MVCHAN_MAX_WORDS];
	int err;

	if (!c->send)
		return -EPERM;
	if (!len)
		return 0;
	if (len % 8 || len > MVCHAN_MAX_BYTES)
		return -EINVAL;
	if (copy_from_user(words, buf, len))
		return -EFAULT;
	err = send_msg(c, 0, len / 8, words, f->f_flags & O_NONBLOCK);
	return err ? err : (ssize_t)len;
}

static __poll_t mvchan_poll(struct file *f, poll_table *wait)
{
	struct mvchan *c = file_chan(f);
	__poll_t mask = 0;
	unsigned long flags;

	poll_wait(f, &c->wq, wait);
	if (c->send) {
		if (maybe_room(c))
			mask |= EPOLLOUT | EPOLLWRNORM;
		else if (!c->irq)
			mod_timer(&c->retry, jiffies + 1);
		return mask;
	}
	spin_lock_irqsave(&c->lock, flags);
	fill_locked(c);
	if (c->count)
		mask |= EPOLLIN | EPOLLRDNORM;
	if (c->signals)
		mask |= EPOLLPRI;
	spin_unlock_irqrestore(&c->lock, flags);
	if (!mask && !c->irq)
		mod_timer(&c->retry, jiffies + 1);
	return mask;
}

static long mvchan_ioctl(struct file *f, unsigned int cmd, unsigned long arg)
{
	struct mvchan *c = file_chan(f);
	void __user *p = (void __user *)arg;
	unsigned long flags;
	struct mvchan_info info;
	struct mvchan_msg m;
	u64 bits;
	int err;

	switch (cmd) {
	case MVCHAN_IOC_INFO:
		memset(&info, 0, sizeof(info));
		info.slot = c->slot;
		info.direction = c->send ? MVCHAN_SEND : MVCHAN_RECEIVE;
		info.irq = c->irq > 0 ? c->irq : 0;
		strscpy(info.label, c->label, sizeof(info.label));
		strscpy(info.peer, c->peer, sizeof(info.peer));
		return copy_to_user(p, &info, sizeof(info)) ? -EFAULT : 0;
	case MVCHAN_IOC_SIGNAL:
		if (!c->send)
			return -EPERM;
		if (get_user(bits, (u64 __user *)p))
			return -EFAULT;
		if (!bits)
			return -EINVAL;
		return send_msg(c, bits, 0, NULL, true);
	case MVCHAN_IOC_SIGNALS:
		if (c->send)
			return -EPERM;
		spin_lock_irqsave(&c->lock, flags);
		fill_locked(c);
		bits = c->signals;
		c->signals = 0;
		spin_unlock_irqrestore(&c->lock, flags);
		return put_user(bits, (u64 __user *)p);
	case MVCHAN_IOC_RECV:
		if (c->send)
			return -EPERM;
		err = take_msg(c, &m, f->f_flags & O_NONBLOCK, MVCHAN_MAX_BYTES);
		if (err)
			return err;
		return copy_to_user(p, &m, sizeof(m)) ? -EFAULT : 0;
	default:
		return -ENOTTY;
	}
}

static const struct file_operations mvchan_fops = {
	.owner = THIS_MODULE,
	.open = mvchan_open,
	.read = mvchan_read,
	.write = mvchan_write,
	.poll = mvchan_poll,
	.unlocked_ioctl = mvchan_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
	.llseek = no_llseek,
};

static irqreturn_t mvchan_irq(int irq, void *data)
{
	struct mvchan *c = data;

	spin_lock(&c->lock);
	if (c->send)
		WRITE_ONCE(c->room_seq, c->room_seq + 1);	/* the queue has room */
	else
		fill_locked(c);
	spin_unlock(&c->lock);
	wake_up_interruptible(&c->wq);
	return IRQ_HANDLED;
}

/* sysfs: /sys/class/misc/mvchan-<label>/{slot,direction,peer,label,irq} */
static struct mvchan *dev_chan(struct device *dev)
{
	return container_of((struct miscdevice *)dev_get_drvdata(dev), struct mvchan, misc);
}

static ssize_t slot_show(struct device *dev, struct device_attribute *a, char *buf)
{
	return sysfs_emit(buf, "%u\n", dev_chan(dev)->slot);
}

static ssize_t direction_show(struct device *dev, struct device_attribute *a, char *buf)
{
	return sysfs_emit(buf, "%s\n", dev_chan(dev)->send ? "send" : "receive");
}

static ssize_t peer_show(struct device *dev, struct device_attribute *a, char *buf)
{
	return sysfs_emit(buf, "%s\n", dev_chan(dev)->peer);
}

static ssize_t label_show(struct device *dev, struct device_attribute *a, char *buf)
{
	return sysfs_emit(buf, "%s\n", dev_chan(dev)->label);
}

static ssize_t irq_show(struct device *dev, struct device_attribute *a, char *buf)
{
	return sysfs_emit(buf, "%d\n", dev_chan(dev)->irq);
}

static DEVICE_ATTR_RO(slot);
static DEVICE_ATTR_RO(direction);
static DEVICE_ATTR_RO(peer);
static DEVICE_ATTR_RO(label);
static DEVICE_ATTR_RO(irq);

static struct attribute *mvchan_attrs[] = {
	&dev_attr_slot.attr, &dev_attr_direction.attr, &dev_attr_peer.attr,
	&dev_attr_label.attr, &dev_attr_irq.attr, NULL,
};
ATTRIBUTE_GROUPS(mvchan);

/* One channel@N node: its end, set up (not yet registered). */
static int chan_init(struct device *dev, struct device_node *np, struct mvchan *c)
{
	const char *rights, *label, *peer = "";

	if (of_property_read_u32(np, "reg", &c->slot) ||
	    of_property_read_string(np, "label", &label) ||
	    of_property_read_string(np, "microvisor,rights", &rights)) {
		dev_err(dev, "%pOF: reg, label or microvisor,rights missing\n", np);
		return -EINVAL;
	}
	of_property_read_string(np, "microvisor,peer", &peer);
	if (!strcmp(rights, "send")) {
		c->send = true;
	} else if (strcmp(rights, "receive")) {
		dev_err(dev, "%pOF: microvisor,rights \"%s\" is neither send nor receive\n",
			np, rights);
		return -EINVAL;
	}
	strscpy(c->label, label, sizeof(c->label));
	strscpy(c->peer, peer, sizeof(c->peer));
	snprintf(c->name, sizeof(c->name), "mvchan-%s", c->label);
	spin_lock_init(&c->lock);
	init_waitqueue_head(&c->wq);
	timer_setup(&c->retry, retry_timer, 0);
	if (of_find_property(np, "interrupts", NULL)) {
		int irq = of_irq_get(np, 0);
		int err;

		if (irq == -EPROBE_DEFER)
			return irq;
		if (irq <= 0) {
			dev_err(dev, "%pOF: interrupts: cannot map (%d)\n", np, irq);
			return irq ? irq : -EINVAL;
		}
		err = devm_request_irq(dev, irq, mvchan_irq, 0, c->name, c);
		if (err) {
			dev_err(dev, "%pOF: irq %d: %d\n", np, irq, err);
			return err;
		}
		c->irq = irq;
	}
	c->misc.minor = MISC_DYNAMIC_MINOR;
	c->misc.name = c->name;
	c->misc.fops = &mvchan_fops;
	c->misc.parent = dev;
	c->misc.groups = mvchan_groups;
	c->misc.mode = c->send ? 0200 : 0400;
	return 0;
}

static void chans_remove(struct mvchan_dev *md)
{
	while (md->n) {
		struct mvchan *c = md->chan[--md->n];

		misc_deregister(&c->misc);
		del_timer_sync(&c->retry);
	}
}

static int mvchan_probe(struct platform_device *pdev)
{
	struct device *dev = &pdev->dev;
	struct device_node *np;
	struct mvchan_dev *md;
	unsigned int n = 0;
	int err;

	for_each_child_of_node(dev->of_node, np)
		n += !!of_device_is_compatible(np, "microvisor,channel");	/* a score, not 1 */
	md = devm_kzalloc(dev, struct_size(md, chan, n), GFP_KERNEL);
	if (!md)
		return -ENOMEM;
	platform_set_drvdata(pdev, md);
	for_each_child_of_node(dev->of_node, np) {
		struct mvchan *c;

		if (!of_device_is_compatible(np, "microvisor,channel"))
			continue;
		c = devm_kzalloc(dev, sizeof(*c), GFP_KERNEL);
		err = c ? chan_init(dev, np, c) : -ENOMEM;
		if (!err) {
			err = misc_register(&c->misc);
			if (err)
				dev_err(dev, "%s: cannot register: %d\n", c->name, err);
		}
		if (err) {
			of_node_put(np);
			chans_remove(md);
			return err;
		}
		md->chan[md->n++] = c;
		pr_info("/dev/%s: %s %s %s, slot %u, %s\n", c->name,
			c->send ? "send end to" : "receive end from", c->peer,
			c->send ? "(written)" : "(read)", c->slot,
			c->irq ? (c->send ? "woken by its interrupt when a full queue has room" :
				  "woken by its interrupt") :
			c->send ? "a full queue retried every jiffy" : "polled every jiffy");
	}
	pr_info("%u channel%s\n", md->n, md->n == 1 ? "" : "s");
	return 0;
}

static int mvchan_remove(struct platform_device *pdev)
{
	chans_remove(platform_get_drvdata(pdev));
	return 0;
}

static const struct of_device_id mvchan_of_match[] = {
	{ .compatible = "microvisor,hypervisor" },
	{ }
};
MODULE_DEVICE_TABLE(of, mvchan_of_match);

static struct platform_driver mvchan_driver = {
	.probe = mvchan_probe,
	.remove = mvchan_remove,
	.driver = {
		.name = "mvchan",
		.of_match_table = mvchan_of_match,
		/* No unbind through sysfs while a device is open: only rmmod,
		 * which an open device (fops.owner) holds off. */
		.suppress_bind_attrs = true,
	},
};
module_platform_driver(mvchan_driver);

MODULE_DESCRIPTION("Microvisor channels as character devices");
MODULE_LICENSE("Dual MIT/GPL");
