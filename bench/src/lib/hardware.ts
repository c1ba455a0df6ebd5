import os from 'node:os';

export interface HardwareInfo {
  cpuModel: string;
  cores: number;
  memoryGiB: number;
  platform: string;
  release: string;
  arch: string;
  node: string;
}

export function hardwareInfo(): HardwareInfo {
  const cpus = os.cpus();
  return {
    cpuModel: cpus[0]?.model.trim().replace(/\s+/g, ' ') ?? 'unknown CPU',
    cores: typeof os.availableParallelism === 'function' ? os.availableParallelism() : cpus.length,
    memoryGiB: Math.round((os.totalmem() / 1024 ** 3) * 10) / 10,
    platform: os.platform(),
    release: os.release(),
    arch: os.arch(),
    node: process.version,
  };
}

export function describeHardware(info: HardwareInfo): string {
  return `${info.cpuModel}, ${info.cores} cores, ${info.memoryGiB} GiB memory, ${info.platform} ${info.release} ${info.arch}, Node ${info.node}`;
}
