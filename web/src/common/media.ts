import { onBeforeUnmount, ref, type Ref } from 'vue';

/** Reactive window.matchMedia(query).matches for the lifetime of the component. */
export function useMediaQuery(query: string): Ref<boolean> {
  const mql = window.matchMedia(query);
  const matches = ref(mql.matches);
  const onChange = (e: MediaQueryListEvent) => {
    matches.value = e.matches;
  };
  mql.addEventListener('change', onChange);
  onBeforeUnmount(() => mql.removeEventListener('change', onChange));
  return matches;
}

/** Phones and narrow tablets: the menu becomes a drawer. */
export const PHONE_QUERY = '(max-width: 768px)';
