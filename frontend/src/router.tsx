import {
  createBrowserHistory,
  createRootRoute,
  createRoute,
  createRouter,
  type ErrorComponentProps,
} from '@tanstack/react-router';
import { AlreadySignedIn, AppLayout } from './components/app-layout';
import { CrashMessage } from './components/error-boundary';
import { NotFoundPage } from './components/not-found-page';
import { useCurrentUser } from './features/auth/use-auth';
import { ProjectTasksPage } from './features/projects/components/project-tasks-page';
import { MyTasksPage } from './features/tasks/components/my-tasks-page';
import { TasksScreen } from './features/tasks/components/tasks-screen';
import { useTaskViewTitle } from './features/tasks/use-task-view';
import { setNavigationHistory } from './lib/navigation';
import { useDocumentTitle } from './lib/use-document-title';
import { InboxPage } from './features/notifications/components/inbox-page';
import i18n from './i18n/i18n';
import { lazy } from 'react';
import { useTranslation } from 'react-i18next';

// Pages a person opens now and then load when first opened, so that the tasks screens start sooner.
const AccountPage = lazy(() => import('./features/auth/components/account-page').then((m) => ({ default: m.AccountPage })));
const MembersPage = lazy(() => import('./features/users/components/members-page').then((m) => ({ default: m.MembersPage })));
const ProjectsPage = lazy(() =>
  import('./features/projects/components/projects-page').then((m) => ({ default: m.ProjectsPage })),
);
const WebhooksPage = lazy(() =>
  import('./features/webhooks/components/webhooks-page').then((m) => ({ default: m.WebhooksPage })),
);
const TaskPage = lazy(() => import('./features/tasks/components/task-page').then((m) => ({ default: m.TaskPage })));

function PageLoading() {
  const { t } = useTranslation();
  return (
    <p className="state" role="status">
      {t('Loading…')}
    </p>
  );
}

const rootRoute = createRootRoute({ component: AppLayout, notFoundComponent: NotFoundPage });


const allTasksRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/',
  component: function AllTasks() {
    useDocumentTitle(useTaskViewTitle());
    return <TasksScreen />;
  },
});

/** The list, board and statistics of one project; `projectKey` is its key (or id), in any case. */
export const projectTasksRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/projects/$projectKey',
  component: function ProjectTasks() {
    const { projectKey } = projectTasksRoute.useParams();
    return <ProjectTasksPage projectKey={projectKey} />;
  },
});

/** A task's own page, by its key ("TF-12", any case, an old key of a moved task too) or its id. */
export const taskRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/tasks/$taskKey',
  component: function Task() {
    const { taskKey } = taskRoute.useParams();
    return <TaskPage taskKey={taskKey} />;
  },
});

// Anyone may manage projects with accounts off (docs/API.md, Modes); with accounts on, admins.
const projectsRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/projects',
  component: function Projects() {
    const user = useCurrentUser();
    return user === null || user.role === 'admin' ? <ProjectsPage /> : <NotFoundPage />;
  },
});

const myTasksRoute = createRoute({ getParentRoute: () => rootRoute, path: '/my-tasks', component: MyTasksPage });

// Pages that exist only with accounts on; with accounts off their addresses are unknown.
const membersRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/members',
  component: function Members() {
    const user = useCurrentUser();
    useDocumentTitle(user ? i18n.t('Members') : null);
    return user ? <MembersPage user={user} /> : <NotFoundPage />;
  },
});

// Webhooks exist with accounts on only, for admins; a member who follows a link learns why there is nothing here.
const webhooksRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/webhooks',
  component: function Webhooks() {
    const user = useCurrentUser();
    useDocumentTitle(user ? i18n.t('Webhooks') : null);
    if (!user) return <NotFoundPage />;
    return user.role === 'admin' ? <WebhooksPage /> : <AdminsOnly />;
  },
});

function AdminsOnly() {
  const { t } = useTranslation();
  return (
    <div className="page">
      <div className="state">
        <h2 className="state-title">{t('Webhooks are for admins')}</h2>
        <p>{t('Only an admin can see and manage the webhooks of this TaskFlow. Ask an admin if you need one.')}</p>
      </div>
    </div>
  );
}

const accountRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/account',
  component: function Account() {
    const user = useCurrentUser();
    useDocumentTitle(user ? i18n.t('Your account') : null);
    return user ? <AccountPage user={user} /> : <NotFoundPage />;
  },
});

const inboxRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/inbox',
  component: function Inbox() {
    const user = useCurrentUser();
    useDocumentTitle(user ? i18n.t('Inbox') : null);
    return user ? <InboxPage /> : <NotFoundPage />;
  },
});

// Signed out, the layout shows these two itself; signed in, sign-in sends the person on and registration says why not.
const signInRoute = createRoute({ getParentRoute: () => rootRoute, path: '/signin', component: () => null });
const registerRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/register',
  component: function Register() {
    const user = useCurrentUser();
    return user ? <AlreadySignedIn user={user} /> : <NotFoundPage />;
  },
});

// A reset link opened while signed in would end this very session: the person chooses, by signing out first.
const forgotPasswordRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/forgot-password',
  component: function ForgotPassword() {
    const user = useCurrentUser();
    return user ? (
      <AlreadySignedIn user={user} advice={i18n.t('You can change your password on your account page.')} />
    ) : (
      <NotFoundPage />
    );
  },
});
const resetPasswordRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/reset-password',
  component: function ResetPassword() {
    const user = useCurrentUser();
    return user ? (
      <AlreadySignedIn
        user={user}
        advice={i18n.t('To choose a new password with this reset link, sign out first, then open the link again.')}
      />
    ) : (
      <NotFoundPage />
    );
  },
});

export const routeTree = rootRoute.addChildren([
  allTasksRoute,
  projectsRoute,
  projectTasksRoute,
  taskRoute,
  myTasksRoute,
  membersRoute,
  webhooksRoute,
  accountRoute,
  inboxRoute,
  signInRoute,
  registerRoute,
  forgotPasswordRoute,
  resetPasswordRoute,
]);

/** Query strings stay plain `key=value` pairs (the router's default would write JSON), so that old links keep working. */
function parseSearch(search: string): Record<string, string> {
  return Object.fromEntries(new URLSearchParams(search));
}

function stringifySearch(search: Record<string, unknown>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(search)) if (value !== undefined && value !== null) params.set(key, String(value));
  const text = params.toString();
  return text ? `?${text}` : '';
}

/** A render error inside a page: the app's own message rather than the router's. */
function RouteError({ reset }: ErrorComponentProps) {
  return <CrashMessage onTryAgain={reset} />;
}

export function createAppRouter() {
  const history = createBrowserHistory();
  setNavigationHistory(history);
  return createRouter({
    routeTree,
    history,
    parseSearch,
    stringifySearch,
    defaultErrorComponent: RouteError,
    defaultNotFoundComponent: NotFoundPage,
    defaultPendingComponent: PageLoading,
  });
}

declare module '@tanstack/react-router' {
  interface Register {
    router: ReturnType<typeof createAppRouter>;
  }
}
