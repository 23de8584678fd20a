// Maps the server's error.fields onto Element Plus form items: bind
// `:error="errors.field"` on each <el-form-item>.
import { reactive } from 'vue';
import { ApiError } from './client';

export interface FieldErrors {
  errors: Record<string, string>;
  clear(): void;
  /** Takes the fields of an ApiError; returns true when at least one known field was set. */
  apply(err: unknown, known?: string[]): boolean;
}

export function useFieldErrors(): FieldErrors {
  const errors = reactive<Record<string, string>>({});
  return {
    errors,
    clear() {
      for (const k of Object.keys(errors)) delete errors[k];
    },
    apply(err: unknown, known?: string[]) {
      for (const k of Object.keys(errors)) delete errors[k];
      if (!(err instanceof ApiError)) return false;
      let any = false;
      for (const [k, v] of Object.entries(err.fields)) {
        if (known && !known.includes(k)) continue;
        errors[k] = v;
        any = true;
      }
      return any;
    },
  };
}
