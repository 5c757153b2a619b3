"""What the commands that write committed files share: a file is written only when it would
change, and `--check` writes nothing and fails when one differs from what the command makes.
The tests run `--check`, so a committed file never drifts from its sources."""

from django.core.management.base import BaseCommand


class GeneratedFilesCommand(BaseCommand):
    """A command that writes `files()`, a dict from each path to its bytes."""

    def files(self):
        raise NotImplementedError

    def add_arguments(self, parser):
        parser.add_argument(
            "--check", action="store_true", help="Exit non-zero if a file is out of date."
        )

    def handle(self, *args, check, **options):
        command = self.__module__.rsplit(".", 1)[-1]
        stale, written, unchanged = [], [], []
        for path, data in self.files().items():
            if path.exists() and path.read_bytes() == data:
                unchanged.append(path.name)
                continue
            stale.append(path.name)
            if not check:
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(data)
                written.append(f"{path.name} ({len(data)} bytes)")
        if check:
            if stale:
                self.stderr.write(
                    f"{command}: out of date: {', '.join(stale)}; run manage.py {command}"
                )
                raise SystemExit(1)
            self.stdout.write(f"{command}: up to date: {', '.join(unchanged)}")
            return
        self.stdout.write(
            f"{command}: wrote {', '.join(written) or 'nothing'}; unchanged {len(unchanged)}"
        )
