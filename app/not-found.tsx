import Link from "next/link";

export default function NotFound() {
  return (
    <main className="flex min-h-screen flex-col items-center justify-center px-4 text-center">
      <p className="text-sm font-medium text-brand-700">404</p>
      <h1 className="mt-1 text-xl font-semibold text-zinc-900">Page not found</h1>
      <p className="mt-1 text-sm text-zinc-600">The page does not exist, or the item was removed.</p>
      <Link href="/" className="mt-4 text-sm font-medium text-brand-700 underline">
        Go to the overview
      </Link>
    </main>
  );
}
