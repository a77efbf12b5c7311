/** The numbers the suite reports at the end (and the README quotes). */
export class Figures {
  /** Faults injected, each with whether the system kept its promises through it. */
  readonly faults: { name: string; survived: boolean }[] = [];
  /** Operations whose outcome a check looked at, per area. */
  readonly operations = new Map<string, number>();
  fuzzCases = 0;
  readonly notes: string[] = [];
  readonly started = performance.now();

  fault(name: string, survived: boolean): void {
    this.faults.push({ name, survived });
  }

  checked(area: string, count: number): void {
    this.operations.set(area, (this.operations.get(area) ?? 0) + count);
  }

  note(line: string): void {
    this.notes.push(line);
  }

  get totalOperations(): number {
    return [...this.operations.values()].reduce((a, b) => a + b, 0);
  }

  report(): string {
    const survived = this.faults.filter((f) => f.survived).length;
    const lines = [
      "",
      "==================== reliability figures ====================",
      `faults survived:      ${survived} of ${this.faults.length} injected`,
      ...this.faults.map((f) => `  ${f.survived ? "ok  " : "FAIL"} ${f.name}`),
      `operations checked:   ${this.totalOperations}`,
      ...[...this.operations].map(([area, n]) => `  ${String(n).padStart(7)}  ${area}`),
      `fuzz cases run:       ${this.fuzzCases}`,
      ...this.notes.map((n) => `  - ${n}`),
      `wall time:            ${((performance.now() - this.started) / 1000).toFixed(0)} s`,
      "==============================================================",
    ];
    return lines.join("\n");
  }

  toJson(): Record<string, unknown> {
    return {
      faultsInjected: this.faults.length,
      faultsSurvived: this.faults.filter((f) => f.survived).length,
      faults: this.faults,
      operationsChecked: this.totalOperations,
      operations: Object.fromEntries(this.operations),
      fuzzCases: this.fuzzCases,
      notes: this.notes,
      wallTimeS: Math.round((performance.now() - this.started) / 1000),
    };
  }
}
