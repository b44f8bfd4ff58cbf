import { Navigate } from 'react-router';
import { useSession } from '../auth/session';

/** Where each role starts: the inspector their own problems, a department its inbox, supervisors the overview. */
export default function Home() {
  const { user } = useSession();
  const start = { inspector: '/problems', department: '/inbox', supervisor: '/overview', admin: '/overview' }[user.role];
  return <Navigate to={start} replace />;
}
