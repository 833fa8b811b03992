from servicekit.runtime import main as run

from inventory_webhooks.bootstrap import build_app, settings


def main() -> None:
    run("webhooks", settings, build_app)


if __name__ == "__main__":
    main()
