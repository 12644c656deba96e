internal import PaymentsCommandLine

/// The CLI's usage text in English and Spanish.
enum HelpText {
    static func text(for language: Language) -> String {
        language == .spanish ? spanish : english
    }

    static let english = """
        Usage: payments COMMAND [OPTIONS]

        Calls the payments service. Amounts are decimal text in the currency's units
        (--amount 150.00 --currency USD), never floating point.

        Commands:
          register   register a pending payment
                     --order ID --amount DECIMAL --currency CODE --method METHOD
                     [--gateway GATEWAY] [--gateway-payment-id ID] [--order-total DECIMAL]
          confirm    confirm a pending payment            --order ID --payment ID
          fail       mark a pending payment as failed     --order ID --payment ID
                     --failure-code CODE [--failure-message TEXT]
          refund     refund part or all of a payment      --order ID --payment ID
                     (--amount DECIMAL | --remainder) [--currency CODE] [--reason TEXT]
          get        show one payment                     --order ID --payment ID
          list       list an order's payments             --order ID [--page-size N] [--page-token T]
          watch      print events and follow new ones     [--from-beginning | --from-live-end | --after POSITION]
                     [--order ID] [--type TYPE,...] [--limit N]
          health     check that the server and its store are serving   [--service NAME]
          token      manage bearer tokens: token create --tokens PATH --name NAME --scopes a,b
                     | token list --tokens PATH | token revoke NAME --tokens PATH
          bench      generate load; run 'payments bench --help'
          help       print this help
          version    print the version

        Methods: card (gateway stripe, needs --gateway-payment-id), cash (pos),
        bank_transfer (manual), customer_credit (internal).

        Options of every call:
          --server HOST:PORT         server address [PAYMENTS_SERVER] (default 127.0.0.1:7070)
          --token TOKEN              bearer token [PAYMENTS_TOKEN] (default: the file var/dev-token)
          --idempotency-key KEY      key that makes a retry safe (default: a new random key per call)
          --timeout DURATION         deadline of the call, such as 10s (default 10s)
          --json                     print one JSON object per result, with the .proto field names

        Exit status: 0 success, 2 bad command line, 3 rejected by the service's rules,
        4 token missing or not allowed, 5 server unreachable or timed out, 6 server error,
        7 local file problem.
        Messages are in Spanish when LC_ALL, LC_MESSAGES or LANG is Spanish.

        """

    static let spanish = """
        Uso: payments COMANDO [OPCIONES]

        Llama al servicio de pagos. Los montos son texto decimal en las unidades de la
        moneda (--amount 150.00 --currency USD), nunca coma flotante.

        Comandos:
          register   registra un pago pendiente
                     --order ID --amount DECIMAL --currency CÓDIGO --method MÉTODO
                     [--gateway GATEWAY] [--gateway-payment-id ID] [--order-total DECIMAL]
          confirm    confirma un pago pendiente           --order ID --payment ID
          fail       marca un pago pendiente como fallido --order ID --payment ID
                     --failure-code CÓDIGO [--failure-message TEXTO]
          refund     reembolsa un pago en parte o entero  --order ID --payment ID
                     (--amount DECIMAL | --remainder) [--currency CÓDIGO] [--reason TEXTO]
          get        muestra un pago                      --order ID --payment ID
          list       lista los pagos de una orden         --order ID [--page-size N] [--page-token T]
          watch      imprime eventos y sigue los nuevos   [--from-beginning | --from-live-end | --after POSICIÓN]
                     [--order ID] [--type TIPO,...] [--limit N]
          health     comprueba que el servidor y su almacén atienden    [--service NOMBRE]
          token      gestiona tokens: token create --tokens RUTA --name NOMBRE --scopes a,b
                     | token list --tokens RUTA | token revoke NOMBRE --tokens RUTA
          bench      genera carga; ejecute 'payments bench --help'
          help       imprime esta ayuda
          version    imprime la versión

        Métodos: card (gateway stripe, necesita --gateway-payment-id), cash (pos),
        bank_transfer (manual), customer_credit (internal).

        Opciones de toda llamada:
          --server HOST:PUERTO       dirección del servidor [PAYMENTS_SERVER] (por defecto 127.0.0.1:7070)
          --token TOKEN              token bearer [PAYMENTS_TOKEN] (por defecto: el fichero var/dev-token)
          --idempotency-key CLAVE    clave que hace seguro un reintento (por defecto: una clave aleatoria nueva)
          --timeout DURACIÓN         plazo de la llamada, como 10s (por defecto 10s)
          --json                     imprime un objeto JSON por resultado, con los nombres de campo del .proto

        Código de salida: 0 éxito, 2 línea de comandos incorrecta, 3 rechazado por las reglas
        del servicio, 4 token ausente o sin permiso, 5 servidor inalcanzable o sin respuesta a
        tiempo, 6 error del servidor, 7 problema con un fichero local.
        Los mensajes salen en español cuando LC_ALL, LC_MESSAGES o LANG es español.

        """
}
