import type { ViteUserConfig } from 'vitest/config'

/** The vitest configuration code-action tests need (forks pool with --no-node-snapshot), merged with yours. */
export declare function defineCodeActionConfig (overrides?: ViteUserConfig): ViteUserConfig
