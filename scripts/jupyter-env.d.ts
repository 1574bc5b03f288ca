/** Types for jupyter-env.js (plain CommonJS so npm can run it before anything is compiled). */
export interface JupyterServer {
  app: 'lab' | 'notebook';
  /** Absolute path of jupyter-lab or jupyter-notebook. */
  command: string;
  /** The Python it runs with (from its #! line), when known. */
  python: string | null;
}
export interface KernelSpecJson {
  argv: string[];
  display_name: string;
  language: string;
  interrupt_mode: string;
  metadata: Record<string, unknown>;
}
export const PROJECT_ROOT: string;
export const KERNEL_NAME: string;
export const KERNEL_DISPLAY_NAME: string;
export const PROJECT_JUPYTER_DIR: string;
export const STATIC_NAME: string;
export const INSTALL_HINT_DEBIAN: string;
export const INSTALL_HINT_PIP: string;
export function which(name: string): string | null;
export function pythonOfScript(script: string): string | null;
export function findJupyterServer(): JupyterServer | null;
export function findNbclientPython(): string | null;
export function jupyterDataDir(python: string | null, jupyterCommand?: string | null): string;
export function kernelSpec(): KernelSpecJson;
export function writeKernelSpec(dataDir: string): string;
export function writeFileAtomically(file: string, contents: string | Buffer): void;
export function registerProjectKernel(): string;
export function projectJupyterEnv(baseEnv?: NodeJS.ProcessEnv): NodeJS.ProcessEnv;
export function removeStaleUserKernel(userDataDir: string): string | null;
