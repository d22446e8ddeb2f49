#!/usr/bin/env python3
"""Drives a full-screen program in a pseudo-terminal the way a person would, and times it.

    pty_harness.py start  --marker TEXT -- COMMAND...
        seconds from launch until the first frame containing TEXT has been written, and the
        program's peak RSS (KB) at that point
    pty_harness.py scroll --marker TEXT --steps N [--setup KEYS] [--key K] -- COMMAND...
        after the first frame (and the setup keys), presses K (default j) N times (with
        --alternate, K and the down arrow in turn); for each press, the time until the frame
        it causes has been written and the bytes written

Output is one JSON object. The same harness runs lms and less, so both see the same terminal
(120x40, xterm-256color) and the same measurement: a frame is over when the program has been
silent for --idle milliseconds; its time is that of its last byte.
"""
import argparse, fcntl, json, os, pty, select, signal, struct, subprocess, sys, termios, time

def spawn(command, columns, lines, env):
    pid, fd = pty.fork()
    if pid == 0:
        fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", lines, columns, 0, 0))
        os.execvpe(command[0], command, env)
    return pid, fd

def read_frame(fd, idle, timeout=10.0, marker=None, seen=b""):
    """Bytes until `idle` seconds of silence (after `marker` appeared, if given); returns
    (bytes, time of the last byte)."""
    data, last = b"", None
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], idle)
        if not ready:
            if last is not None and (marker is None or marker in seen + data):
                break
            continue
        try:
            chunk = os.read(fd, 65536)
        except OSError:
            break
        if not chunk:
            break
        data += chunk
        last = time.monotonic()
    return data, last

def peak_rss_kb(pid):
    try:
        for line in open(f"/proc/{pid}/status"):
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    return None

def finish(pid, fd, quit_keys):
    try:
        os.write(fd, quit_keys.encode())
    except OSError:
        pass
    deadline = time.monotonic() + 3
    while time.monotonic() < deadline:
        done, _ = os.waitpid(pid, os.WNOHANG)
        if done:
            break
        try:
            ready, _, _ = select.select([fd], [], [], 0.05)
            if ready:
                os.read(fd, 65536)
        except OSError:
            pass
    else:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
    os.close(fd)

def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]

def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("mode", choices=["start", "scroll"])
    parser.add_argument("--marker", required=True)
    parser.add_argument("--steps", type=int, default=1000)
    parser.add_argument("--setup", default="")
    parser.add_argument("--key", default="j")
    parser.add_argument("--alternate", action="store_true",
                        help="every other step presses the down arrow instead of K: no key is the one before it again")
    parser.add_argument("--mixed", type=int, metavar="SEED",
                        help="j, k and the down and up arrows in an irregular order drawn from SEED, mostly down")
    parser.add_argument("--quit", default="q", help="keys that quit from where the run ends")
    parser.add_argument("--idle", type=float, default=60, help="milliseconds of silence that end a frame")
    parser.add_argument("--columns", type=int, default=120)
    parser.add_argument("--lines", type=int, default=40)
    if "--" not in sys.argv:
        sys.exit("usage: pty_harness.py MODE [options] -- COMMAND...")
    split = sys.argv.index("--")
    args = parser.parse_args(sys.argv[1:split])
    command = sys.argv[split + 1:]
    env = dict(os.environ, TERM="xterm-256color", LANG=os.environ.get("LANG", "C.UTF-8"), LESS="", LESSHISTFILE="-")
    idle = args.idle / 1000
    marker = args.marker.encode()

    started = time.monotonic()
    pid, fd = spawn(command, args.columns, args.lines, env)
    first, last = read_frame(fd, idle, marker=marker)
    if marker not in first:
        finish(pid, fd, args.quit)
        sys.exit(f"the first frame never showed {args.marker!r}: {first[-400:]!r}")
    result = {"first_frame_seconds": last - started, "first_frame_bytes": len(first), "peak_rss_kb": peak_rss_kb(pid)}
    if args.mode == "scroll":
        for key in args.setup:
            os.write(fd, key.encode())
            read_frame(fd, idle)
        latencies, sizes = [], []
        # The down arrow as this terminal type sends it (both programs switch the keypad to
        # application mode, where it is ESC O B, not ESC [ B).
        down = subprocess.run(["tput", "-T", env["TERM"], "kcud1"], capture_output=True, text=True).stdout or "\x1bOB"
        up = subprocess.run(["tput", "-T", env["TERM"], "kcuu1"], capture_output=True, text=True).stdout or "\x1bOA"
        import random
        mixed = random.Random(args.mixed) if args.mixed is not None else None
        for step in range(args.steps):
            if mixed:
                # Two in three steps go down, so the run keeps moving through the list.
                key = mixed.choice(["j", down, "j", down, "k", up])
            else:
                key = down if args.alternate and step % 2 else args.key
            sent = time.monotonic()
            os.write(fd, key.encode())
            data, last = read_frame(fd, idle, timeout=5)
            if last is None:
                continue
            latencies.append(last - sent)
            sizes.append(len(data))
        result.update({
            "steps": len(latencies),
            "median_ms": percentile(latencies, 0.5) * 1000,
            "p99_ms": percentile(latencies, 0.99) * 1000,
            "bytes_per_step": sum(sizes) / max(1, len(sizes)),
            "peak_rss_kb": peak_rss_kb(pid),
        })
    finish(pid, fd, args.quit)
    print(json.dumps(result))

main()
