// Deterministic task generator shared by the loaders and the scenarios.
// A seeded PRNG makes every run load the same rows, so figures from two runs compare like for like.

export function createRandom(seed) {
  // mulberry32: tiny, fast and good enough for test data.
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    pick: (items) => items[Math.floor(next() * items.length)],
    weighted: (pairs) => {
      let roll = next();
      for (const [value, weight] of pairs) {
        roll -= weight;
        if (roll < 0) return value;
      }
      return pairs[pairs.length - 1][0];
    },
  };
}

const VERBS = ['Fix', 'Write', 'Review', 'Update', 'Refactor', 'Test', 'Deploy', 'Document', 'Design', 'Plan',
  'Investigate', 'Migrate', 'Clean up', 'Add', 'Remove', 'Optimize', 'Prepare', 'Check', 'Automate', 'Discuss'];
// Search scenarios pick their term from NOUNS: each appears in about 1 title in NOUNS.length, so a search at
// 1,000,000 rows matches roughly 16,000 tasks (plus descriptions), a realistic "common word" query.
export const NOUNS = ['invoice', 'login', 'dashboard', 'report', 'backup', 'newsletter', 'onboarding', 'payment',
  'sidebar', 'database', 'pipeline', 'release', 'budget', 'roadmap', 'contract', 'checkout', 'profile', 'search',
  'calendar', 'export', 'import', 'webhook', 'session', 'cache', 'firewall', 'printer', 'laptop', 'meeting',
  'survey', 'wiki', 'badge', 'café', 'résumé', 'translation', 'timezone', 'upload', 'avatar', 'password',
  'permission', 'audit', 'ticket', 'shipment', 'warehouse', 'catalog', 'coupon', 'refund', 'receipt', 'banner',
  'landing page', 'mobile app', 'API client', 'error page', 'style guide', 'test suite', 'build script',
  'load balancer', 'DNS record', 'SSL certificate', 'cron job', 'feature flag'];
const AREAS = ['for the billing team', 'in staging', 'before Friday', 'for Q1', 'on the website', 'for the Paris office',
  'in the admin panel', 'for customers', 'after the audit', 'with marketing', '', '', '', ''];
const WORDS = ('the a customer team needs we should make sure that it works with new old data users before after ' +
  'release because this is blocking support asked about again please also check logs metrics alert and update ' +
  'docs when done see thread ticket for details quick note émigré naïve déjà vu façade').split(' ');
const PEOPLE = ['alice', 'bob', 'carol', 'dave', 'erin', 'frank', 'grace', 'heidi', 'ivan', 'judy', 'mallory',
  'niaj', 'olivia', 'peggy', 'rupert', 'sybil', 'trent', 'victor', 'walter', 'zoé'];

const DAY = 86_400_000;
// A fixed "now" for generation keeps data sets identical between runs; the bench runs near this date anyway.
const GENERATION_NOW = Date.UTC(2026, 10, 23);

function uuidV4(random) {
  const bytes = new Array(16);
  for (let i = 0; i < 16; i++) bytes[i] = Math.floor(random.next() * 256);
  bytes[6] = (bytes[6] & 0x0f) | 0x40;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = bytes.map((b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

function sentence(random, min, max) {
  const words = [];
  const count = random.int(min, max);
  for (let i = 0; i < count; i++) words.push(random.pick(WORDS));
  // One noun in most descriptions so searches also hit the description column.
  if (random.next() < 0.5) words.splice(random.int(0, words.length), 0, random.pick(NOUNS));
  const text = words.join(' ');
  return `${text[0].toUpperCase()}${text.slice(1)}.`;
}

// Issue 16's data sets: tasks spread over 20 projects (the default one and 19 more), 30 labels and 10 members.
export const PROJECT_COUNT = 20;
export const LABEL_COUNT = 30;
export const MEMBER_COUNT = 10;
const fixedIds = (seed, count) => {
  const random = createRandom(seed);
  return Array.from({ length: count }, () => uuidV4(random));
};
/** The 19 projects the loader adds beside the default one (index 0): keys PA to PS. */
export const BENCH_PROJECTS = fixedIds(1601, PROJECT_COUNT - 1).map((id, i) => ({
  id, key: `P${String.fromCharCode(65 + i)}`, name: `Bench project ${String.fromCharCode(65 + i)}` }));
export const BENCH_LABELS = fixedIds(1602, LABEL_COUNT).map((id, i) => ({
  id, name: `bench-label-${String(i + 1).padStart(2, '0')}`, color: `#${(0x224466 + i * 0x050403).toString(16).slice(-6)}` }));
export const BENCH_MEMBERS = fixedIds(1603, MEMBER_COUNT).map((id, i) => ({
  id, name: `Bench Member ${i + 1}`, email: `member${String(i + 1).padStart(2, '0')}@bench.taskflow.test` }));

/**
 * Where a task belongs: its project (0 = the default one), its labels (0 to 3 distinct, 1.15 on average) and its
 * member assignee (70 % of tasks). Drawn from a generator of its own, so the other fields stay those of earlier
 * data sets.
 */
function placementStream(seed) {
  const random = createRandom(seed ^ 0x16161616);
  return () => {
    const projectIndex = random.int(0, PROJECT_COUNT - 1);
    const labelCount = random.weighted([[0, 0.3], [1, 0.35], [2, 0.25], [3, 0.1]]);
    const labelIndexes = new Set();
    while (labelIndexes.size < labelCount) labelIndexes.add(random.int(0, LABEL_COUNT - 1));
    const memberIndex = random.next() < 0.7 ? random.int(0, MEMBER_COUNT - 1) : null;
    return { projectIndex, labelIndexes: [...labelIndexes], memberIndex };
  };
}

/** Returns a function that yields the next task as a plain object with Date fields (ids are deterministic). */
export function taskStream(seed) {
  const random = createRandom(seed);
  const nextPlacement = placementStream(seed);
  return function nextTask() {
    const createdAt = GENERATION_NOW - random.int(1, 730 * DAY);
    const updatedAt = Math.min(GENERATION_NOW, createdAt + (random.next() < 0.5 ? 0 : random.int(0, 30 * DAY)));
    const title = `${random.pick(VERBS)} ${random.pick(NOUNS)} ${random.pick(AREAS)}`.trim();
    const description = random.next() < 0.7 ? sentence(random, 6, 30) : null;
    return {
      id: uuidV4(random),
      title,
      description,
      status: random.weighted([['todo', 0.4], ['in_progress', 0.25], ['done', 0.35]]),
      priority: random.weighted([['low', 0.3], ['medium', 0.5], ['high', 0.2]]),
      assignee: random.next() < 0.85 ? random.pick(PEOPLE) : null,
      dueDate: random.next() < 0.7 ? new Date(createdAt + random.int(-10 * DAY, 60 * DAY)) : null,
      createdAt: new Date(createdAt),
      updatedAt: new Date(updatedAt),
      ...nextPlacement(),
    };
  };
}

/** SQLite stores dates as TypeORM writes them: UTC text without the T and Z. */
export function sqliteDate(date) {
  return date === null ? null : date.toISOString().replace('T', ' ').replace('Z', '');
}

/** The columns the API derives for case-insensitive search, computed the way the API computes them. */
export function searchColumns(task) {
  return { searchTitle: task.title.toLowerCase(), searchDescription: task.description?.toLowerCase() ?? null };
}
