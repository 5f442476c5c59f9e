/**
 * Internal: the binary heap of scipy's generic linkage algorithm.
 *
 * @module
 */

/** Binary heap keyed 0…n−1, a port of scipy's `Heap` (_structures.pxi), ties resolved identically. */
export class Heap {
  indexByKey: Int32Array;
  keyByIndex: Int32Array;
  values: Float64Array;
  size: number;
  constructor(values: Float64Array) {
    this.size = values.length;
    this.indexByKey = new Int32Array(this.size);
    this.keyByIndex = new Int32Array(this.size);
    for (let i = 0; i < this.size; i++) {
      this.indexByKey[i] = this.keyByIndex[i] = i;
    }
    this.values = values.slice();
    for (let i = Math.floor(this.size / 2) - 1; i >= 0; i--) this.siftDown(i);
  }
  removeMin(): void {
    this.swap(0, this.size - 1);
    this.size -= 1;
    this.siftDown(0);
  }
  changeValue(key: number, value: number): void {
    const index = this.indexByKey[key];
    const old = this.values[index];
    this.values[index] = value;
    if (value < old) this.siftUp(index);
    else this.siftDown(index);
  }
  siftUp(index: number): void {
    let parent = (index - 1) >> 1;
    while (index > 0 && this.values[parent] > this.values[index]) {
      this.swap(index, parent);
      index = parent;
      parent = (index - 1) >> 1;
    }
  }
  siftDown(index: number): void {
    let child = (index << 1) + 1;
    while (child < this.size) {
      if (
        child + 1 < this.size && this.values[child + 1] < this.values[child]
      ) child += 1;
      if (this.values[index] > this.values[child]) {
        this.swap(index, child);
        index = child;
        child = (index << 1) + 1;
      } else break;
    }
  }
  swap(i: number, j: number): void {
    const v = this.values[i];
    this.values[i] = this.values[j];
    this.values[j] = v;
    const ki = this.keyByIndex[i];
    const kj = this.keyByIndex[j];
    this.keyByIndex[i] = kj;
    this.keyByIndex[j] = ki;
    this.indexByKey[ki] = j;
    this.indexByKey[kj] = i;
  }
}
