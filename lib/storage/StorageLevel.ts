/**
 * How a block or a persisted RDD partition is kept: Spark's `StorageLevel`. dstreams runs in one process, so a
 * replication of 2 is recorded (and shown) but stored once.
 */
export class StorageLevel {
  private constructor(
    readonly useDisk: boolean,
    readonly useMemory: boolean,
    readonly deserialized: boolean,
    readonly replication: number,
    readonly name: string,
  ) {}

  static readonly NONE = new StorageLevel(false, false, false, 1, 'NONE');
  static readonly DISK_ONLY = new StorageLevel(true, false, false, 1, 'DISK_ONLY');
  static readonly DISK_ONLY_2 = new StorageLevel(true, false, false, 2, 'DISK_ONLY_2');
  static readonly MEMORY_ONLY = new StorageLevel(false, true, true, 1, 'MEMORY_ONLY');
  static readonly MEMORY_ONLY_2 = new StorageLevel(false, true, true, 2, 'MEMORY_ONLY_2');
  static readonly MEMORY_ONLY_SER = new StorageLevel(false, true, false, 1, 'MEMORY_ONLY_SER');
  static readonly MEMORY_ONLY_SER_2 = new StorageLevel(false, true, false, 2, 'MEMORY_ONLY_SER_2');
  static readonly MEMORY_AND_DISK = new StorageLevel(true, true, true, 1, 'MEMORY_AND_DISK');
  static readonly MEMORY_AND_DISK_2 = new StorageLevel(true, true, true, 2, 'MEMORY_AND_DISK_2');
  static readonly MEMORY_AND_DISK_SER = new StorageLevel(true, true, false, 1, 'MEMORY_AND_DISK_SER');
  static readonly MEMORY_AND_DISK_SER_2 = new StorageLevel(true, true, false, 2, 'MEMORY_AND_DISK_SER_2');

  /** Whether anything is stored at all (`NONE` is not valid for persisting). */
  isValid(): boolean {
    return this.useMemory || this.useDisk;
  }

  /** The same flags with other deserialization/replication (the WAL block handler forces serialized, 1 replica). */
  withFlags(deserialized: boolean, replication: number): StorageLevel {
    const found = ALL.find(
      (l) => l.useDisk === this.useDisk && l.useMemory === this.useMemory && l.deserialized === deserialized && l.replication === replication,
    );
    return found ?? new StorageLevel(this.useDisk, this.useMemory, deserialized, replication, `${this.name}(custom)`);
  }

  /** Spark's `description`, e.g. `"Memory Serialized 1x Replicated"`. */
  description(): string {
    const parts: string[] = [];
    if (this.useDisk) parts.push('Disk');
    if (this.useMemory) parts.push('Memory');
    parts.push(this.deserialized ? 'Deserialized' : 'Serialized');
    return `${parts.join(' ')} ${this.replication}x Replicated`;
  }

  toString(): string {
    return this.name;
  }

  /** The level named `name` (`"MEMORY_AND_DISK_SER_2"`), as Spark's `StorageLevel.fromString`. */
  static fromString(name: string): StorageLevel {
    const found = ALL.find((l) => l.name === name.trim().toUpperCase());
    if (!found) throw new Error(`Invalid StorageLevel: ${name}`);
    return found;
  }
}

const ALL: readonly StorageLevel[] = [
  StorageLevel.NONE, StorageLevel.DISK_ONLY, StorageLevel.DISK_ONLY_2, StorageLevel.MEMORY_ONLY, StorageLevel.MEMORY_ONLY_2,
  StorageLevel.MEMORY_ONLY_SER, StorageLevel.MEMORY_ONLY_SER_2, StorageLevel.MEMORY_AND_DISK, StorageLevel.MEMORY_AND_DISK_2,
  StorageLevel.MEMORY_AND_DISK_SER, StorageLevel.MEMORY_AND_DISK_SER_2,
];
