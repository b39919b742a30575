// The WASI functions Envoy registers under both wasi_snapshot_preview1 and wasi_unstable
// (reference abi.md 9): stdout and stderr become log lines, there is no file system, and
// everything else answers the errno Envoy's host answers.

import { webcrypto } from "node:crypto";
import { LogLevel } from "../abi/types.js";
import { type HostFunction, type WasmVm } from "./vm.js";

/** WASI errno values Envoy uses. */
export const Errno = {
  Success: 0,
  BadFd: 8,
  NotDir: 20,
  Fault: 21,
  Invalid: 28,
  NoEntry: 44,
  NoSys: 52,
  NotSupported: 58,
} as const;

const MAX_RANDOM_BYTES = 65536;
const isStdio = (fd: number | bigint) => fd === 1 || fd === 2;
// WASI clock ids 0 (realtime) and 1 (monotonic); Envoy answers NotSupported for the CPU clocks.
const isKnownClock = (id: number | bigint) => id === 0 || id === 1;
const n = (value: number | bigint) => Number(value);
const environ = (vm: WasmVm) => vm.environmentVariables.map(([k, v]) => new TextEncoder().encode(`${k}=${v}\0`));

// Random bytes are drawn from the system source a pool at a time: one call per request each
// asking for 16 bytes would otherwise cost a system call each.
const randomPool = new Uint8Array(4096);
let randomPoolUsed = randomPool.length;

function randomBytes(length: number): Uint8Array {
  if (length > randomPool.length) return webcrypto.getRandomValues(new Uint8Array(length));
  if (randomPoolUsed + length > randomPool.length) {
    webcrypto.getRandomValues(randomPool);
    randomPoolUsed = 0;
  }
  randomPoolUsed += length;
  return randomPool.slice(randomPoolUsed - length, randomPoolUsed);
}

export const wasiCalls: Record<string, HostFunction> = {
  fd_write(vm, fd, iovs, count, writtenPtr) {
    if (!isStdio(fd)) return Errno.BadFd;
    const chunks: Uint8Array[] = [];
    for (let i = 0; i < n(count); i++) {
      const iovec = vm.memory.read(n(iovs) + i * 8, 8);
      const view = new DataView(iovec.buffer, iovec.byteOffset, iovec.byteLength);
      chunks.push(vm.memory.read(view.getUint32(0, true), view.getUint32(4, true)));
    }
    const text = new TextDecoder().decode(Buffer.concat(chunks));
    vm.logs.write(fd === 1 ? LogLevel.Info : LogLevel.Error, text.replace(/\n$/, ""), vm.role, vm.thread);
    vm.memory.writeU32(
      n(writtenPtr),
      chunks.reduce((total, c) => total + c.length, 0),
    );
    return Errno.Success;
  },
  fd_pwrite(vm, fd, iovs, count, _offset, writtenPtr) {
    return wasiCalls["fd_write"]!(vm, fd, iovs, count, writtenPtr);
  },
  fd_read: () => Errno.NoSys,
  fd_pread: () => Errno.NoSys,
  fd_seek: () => Errno.Success,
  fd_close: () => Errno.Success,
  fd_fdstat_get(vm, fd, statPtr) {
    if (!isStdio(fd)) return Errno.BadFd;
    const stat = new Uint8Array(24);
    new DataView(stat.buffer).setBigUint64(8, 64n, true);
    vm.memory.write(n(statPtr), stat);
    return Errno.Success;
  },
  fd_fdstat_set_flags: () => Errno.NoSys,
  fd_fdstat_set_rights: (_vm, fd) => (isStdio(fd) ? Errno.Success : Errno.BadFd),
  fd_prestat_get: () => Errno.BadFd,
  fd_prestat_dir_name: () => Errno.NoSys,
  fd_filestat_get: () => Errno.BadFd,
  fd_advise: () => Errno.Success,
  fd_allocate: (_vm, fd) => (isStdio(fd) ? Errno.Success : Errno.BadFd),
  fd_datasync: (_vm, fd) => (isStdio(fd) ? Errno.Success : Errno.BadFd),
  fd_sync: (_vm, fd) => (isStdio(fd) ? Errno.Success : Errno.BadFd),
  fd_filestat_set_size: (_vm, fd) => (isStdio(fd) ? Errno.Success : Errno.BadFd),
  fd_filestat_set_times: (_vm, fd) => (isStdio(fd) ? Errno.Success : Errno.BadFd),
  fd_readdir(vm, _fd, _buf, _len, _cookie, usedPtr) {
    vm.memory.writeU32(n(usedPtr), 0);
    return Errno.NotDir;
  },
  fd_renumber: (_vm, fd, to) => (isStdio(fd) && isStdio(to) ? Errno.NotSupported : Errno.BadFd),
  fd_tell(vm, fd, offsetPtr) {
    if (!isStdio(fd)) return Errno.BadFd;
    vm.memory.writeU64(n(offsetPtr), 0n);
    return Errno.Success;
  },
  path_open: () => Errno.NoEntry,
  path_create_directory: () => Errno.NotSupported,
  path_filestat_get: () => Errno.NotSupported,
  path_filestat_set_times: () => Errno.NotSupported,
  path_link: () => Errno.NotSupported,
  path_readlink(vm, _fd, _path, _pathLen, _buf, _bufLen, usedPtr) {
    vm.memory.writeU32(n(usedPtr), 0);
    return Errno.NotSupported;
  },
  path_remove_directory: () => Errno.NotSupported,
  path_rename: () => Errno.NotSupported,
  path_symlink: () => Errno.NotSupported,
  path_unlink_file: () => Errno.NotSupported,
  args_sizes_get(vm, countPtr, sizePtr) {
    vm.memory.writeU32(n(countPtr), 0);
    vm.memory.writeU32(n(sizePtr), 0);
    return Errno.Success;
  },
  args_get: () => Errno.Success,
  // The instance's VmConfig.environment_variables as `KEY=VALUE\0` strings (abi.md 8.2, 9).
  environ_sizes_get(vm, countPtr, sizePtr) {
    const entries = environ(vm);
    vm.memory.writeU32(n(countPtr), entries.length);
    vm.memory.writeU32(
      n(sizePtr),
      entries.reduce((size, e) => size + e.length, 0),
    );
    return Errno.Success;
  },
  environ_get(vm, arrayPtr, bufferPtr) {
    let buffer = n(bufferPtr);
    environ(vm).forEach((entry, i) => {
      vm.memory.writeU32(n(arrayPtr) + i * 4, buffer);
      vm.memory.write(buffer, entry);
      buffer += entry.length;
    });
    return Errno.Success;
  },
  // Both clocks read the host clock a test advances, so guest time and proxy time agree; it
  // never goes back, which is all a monotonic clock promises.
  clock_time_get(vm, id, _precision, timePtr) {
    if (!isKnownClock(id)) return Errno.NotSupported;
    vm.memory.writeU64(n(timePtr), vm.env.clock.nanoseconds);
    return Errno.Success;
  },
  clock_res_get(vm, id, resolutionPtr) {
    if (!isKnownClock(id)) return Errno.NotSupported;
    vm.memory.writeU64(n(resolutionPtr), 1n);
    return Errno.Success;
  },
  random_get(vm, bufPtr, length) {
    if (n(length) > MAX_RANDOM_BYTES) return Errno.Invalid;
    vm.memory.write(n(bufPtr), randomBytes(n(length)));
    return Errno.Success;
  },
  sched_yield: () => Errno.Success,
  poll_oneoff(vm, _in, _out, _subscriptions, eventsPtr) {
    vm.memory.writeU32(n(eventsPtr), 0);
    return Errno.Success;
  },
  proc_exit(vm, code) {
    vm.logs.write(LogLevel.Trace, `wasi_unstable proc_exit ${n(code)}`, vm.role, vm.thread);
  },
  sock_accept(vm, _fd, _flags, fdPtr) {
    vm.memory.writeU32(n(fdPtr), 0);
    return Errno.NotSupported;
  },
  sock_recv(vm, _fd, _data, _dataLen, _flags, receivedPtr, flagsPtr) {
    vm.memory.writeU32(n(receivedPtr), 0);
    vm.memory.writeU32(n(flagsPtr), 0);
    return Errno.NotSupported;
  },
  sock_send(vm, _fd, _data, _dataLen, _flags, sentPtr) {
    vm.memory.writeU32(n(sentPtr), 0);
    return Errno.NotSupported;
  },
  sock_shutdown: () => Errno.NotSupported,
};
