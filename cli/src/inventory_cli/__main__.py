from inventory_cli.app import main

main()
